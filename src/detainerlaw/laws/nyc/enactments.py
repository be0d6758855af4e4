"""The local laws that enacted and amended the city's detainer sections, each defined once: its
number, bill, the day it became law, the day it took effect, and where its enacted text was read.

Every rule, version and report names its law from here, so a date is corrected in one place.
Effective dates marked ``computed`` are counted from the law's own clause ("shall take effect N
days after it shall have become a law") and may be off by one day (see the README).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

LEGISTAR = "NYC Council Legistar (jehiah/nyc_legislation)"


@dataclass(frozen=True)
class Enactment:
    """One local law: ``str()`` gives its name as rules cite it ("LL 58/2014")."""

    law: str
    bill: str
    became_law: dt.date
    in_force: dt.date
    text: str  # where the enacted text was read
    computed: bool = False  # the effective date is counted from "N days after it shall have become a law"

    def __str__(self) -> str:
        return self.law


LL62_2011 = Enactment("LL 62/2011", "Int 656-A-2011", dt.date(2011, 11, 22), dt.date(2012, 3, 21),
                      f"{LEGISTAR} introduction/2011/0656.json", computed=True)  # 120 days: adds § 9-131
LL21_2013 = Enactment("LL 21/2013", "Int 982-A-2012", dt.date(2013, 3, 18), dt.date(2013, 7, 16),
                      f"{LEGISTAR} introduction/2012/0982.json", computed=True)  # 120 days: adds § 14-154
LL22_2013 = Enactment("LL 22/2013", "Int 989-A-2012", dt.date(2013, 3, 18), dt.date(2013, 7, 16),
                      f"{LEGISTAR} introduction/2012/0989.json", computed=True)  # 120 days: § 9-131(a), (b), (f)
LL58_2014 = Enactment("LL 58/2014", "Int 486-A-2014", dt.date(2014, 11, 14), dt.date(2014, 12, 14),
                      f"{LEGISTAR} introduction/2014/0486.json")  # §§ 1-3, 5: 30 days; § 9-131(a), (b), (e), (f)
# LL 58/2014 § 7: its § 4, the new subdivision (h) of § 9-131, takes effect 90 days after it became law.
LL58_2014_SUBDIVISION_H = dt.date(2015, 2, 12)  # computed
LL59_2014 = Enactment("LL 59/2014", "Int 487-A-2014", dt.date(2014, 11, 14), dt.date(2014, 12, 14),
                      f"{LEGISTAR} introduction/2014/0487.json")  # 30 days: rewrites § 14-154
LL226_2017 = Enactment("LL 226/2017", "Int 1558-A-2017", dt.date(2017, 12, 1), dt.date(2017, 12, 1),
                       f"{LEGISTAR} introduction/2017/1558.json")  # immediately: adds § 9-205
# LL 226/2017 § 2: the information § 9-205(f) newly requires is reported only for periods beginning
# 60 days after the law took effect.
LL226_2017_REPORTING = LL226_2017.in_force + dt.timedelta(days=60)
LL228_2017 = Enactment("LL 228/2017", "Int 1568-A-2017", dt.date(2017, 12, 1), dt.date(2018, 1, 30),
                       f"{LEGISTAR} introduction/2017/1568.json", computed=True)  # 60 days: § 10-178; (f)s
LL246_2017 = Enactment("LL 246/2017", "Int 1579-A-2017", dt.date(2017, 12, 17), dt.date(2018, 4, 16),
                       f"{LEGISTAR} introduction/2017/1579.json", computed=True)  # 120 days: adds § 4-210
LL63_2026 = Enactment("LL 63/2026", "Int 1412-A-2025", dt.date(2026, 1, 29), dt.date(2026, 1, 29),
                      f"{LEGISTAR} introduction/2025/1412.json")  # veto overridden; immediately
