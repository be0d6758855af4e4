"""Every test, and every process a test starts, compiles its own plans: the plan cache on disk
(``engine.columnar.plan_cache``) is off unless a test turns it on in a folder of its own, so no
test reads what an earlier run left."""

from __future__ import annotations

import os

os.environ["DETAINERLAW_PLAN_CACHE"] = "off"
