"""Babel extraction methods (named in ``babel.cfg``) for the words the pages show whose text lives outside
this folder, listed in ``outside_messages.cfg``:

- ``place-labels``: every registered place's title, layer titles and agency, action and section labels. The
  law packages keep them in English and know nothing of languages; the English label is the msgid and the
  pages translate it when they show it (``i18n.place_words``).
- ``python <module>``: the ``_()`` and ``N_()`` messages of a module the pages show (the reform lab's report,
  ``detainerlaw.simulation.report``), read with Babel's own Python extractor.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Collection, Iterator
from typing import IO, Any

from babel.messages.extract import extract_python

Message = tuple[int, str, str, list[str]]


def place_labels() -> Iterator[tuple[str, str]]:
    """(message, where it comes from) for every word of every place the law packages declare."""
    from detainerlaw import jurisdictions

    for pid in jurisdictions.packaged():
        place = jurisdictions.get(pid)
        yield place.title, f"{pid}: the place's title"
        for layer in place.layers:
            yield layer.title, f"{pid}: title of the layer {layer.id}"
        for kind, words in (("agency", place.labels.agencies), ("action", place.labels.actions),
                            ("section", place.labels.sections)):
            for code, text in words.items():
                yield text, f"{pid}: {kind} {code}"


def outside(fileobj: IO[bytes], keywords: Collection[str], comment_tags: Collection[str],
            options: dict[str, Any]) -> Iterator[Message]:
    """The messages of each source ``fileobj`` (``outside_messages.cfg``) lists, one a line."""
    for lineno, raw in enumerate(fileobj.read().decode("utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        kind, _, arg = line.partition(" ")
        if kind == "place-labels":
            for text, where in place_labels():
                yield lineno, "_", text, [where]
        elif kind == "python":
            spec = importlib.util.find_spec(arg.strip())
            if spec is None or spec.origin is None:
                raise ValueError(f"outside_messages.cfg line {lineno}: no module {arg.strip()!r}")
            with open(spec.origin, "rb") as f:
                for _lineno, funcname, messages, comments in extract_python(f, keywords, comment_tags, options):
                    yield lineno, funcname, messages, [f"{arg.strip()}, line {_lineno}", *comments]
        else:
            raise ValueError(f"outside_messages.cfg line {lineno}: unknown source {kind!r}")
