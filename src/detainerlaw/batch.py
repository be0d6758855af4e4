"""Deciding many cases at once: ``detainerlaw decide --batch IN --out OUT``.

Input: .jsonl (one Case JSON per line, or ``{"case_id": ..., "case": {...}}``) or
.parquet (a facts frame, ``frame.facts_frame``). Output: .jsonl (one Decision JSON per
case, in input order: line N is the decision of the Nth case; a line is exactly a spec
Decision, which has no case id field) or .parquet (one row per case and engaged action:
``case_id`` (always a string), ``action``, ``outcome``, ``until``, ``citations``). An
empty input gives an empty output. ``--out`` must not be the input and its directory
must exist. Bad input raises ValueError naming the row and the field (a missing case_id
included); no submitted row is dropped. The interpreter and columnar
backends give the same outcomes, until, conditions and citations, and the ``LAYERS`` note where
layers disagree; the register notes of a Decision come only from the interpreter (the columnar
backend reports no other note).

JSON Lines from the columnar backend are put together from each distinct Decision's text
(``decision_lines``), byte for byte the lines of a Decision object per case (``_row_lines``,
which writes any chunk the templates cannot describe).

Both backends stream: the input is read in chunks (Parquet batches, JSON Lines as read), each
checked, decided and written before the next is needed, so memory follows the chunk and not the
file (a million cases from Parquet to Parquet peaked at 3.6 GB when the file was read whole).
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa

from detainerlaw import decision_lines, jurisdictions
from detainerlaw.decide import decide
from detainerlaw.engine import columnar as C
from detainerlaw.engine.calendar import to_datetime
from detainerlaw.engine.columnar.labels import condition_texts, worded
from detainerlaw.engine.columnar.layers import evaluate_stack
from detainerlaw.engine.columnar.stack import Chunk as ColumnarChunk
from detainerlaw.engine.columnar.stack import LayerAnswers, _distinct, combine_action, stack_actions, stack_answers
from detainerlaw.engine.lower import NO_UNTIL
from detainerlaw.engine.pack import BASELINE, LawPack, Reform
from detainerlaw.engine.rules import NOT_GOVERNED, Snapshot
from detainerlaw.errors import InputError
from detainerlaw.frame import CHUNK_ROWS, facts_columns, facts_frame, frame_cases, iter_jsonl, open_frame
from detainerlaw.jurisdictions import Frames, Jurisdiction
from detainerlaw.models.decision import ActionResult, Decision, InputWarning, LawRef, LayerRef, Note
from detainerlaw.results import LAYER_CONFLICT, LayerAnswer, action_result, add_conflict

BACKENDS = ("interpreter", "columnar")
# The .parquet output: one row per case and engaged action, alike from both backends.
LONG_SCHEMA = {"case_id": pl.String, "action": pl.String, "outcome": pl.String, "until": pl.Datetime("us"),
               "citations": pl.List(pl.String)}
SUFFIXES = (".jsonl", ".parquet")
_WORDS = pa.dictionary(pa.int32(), pa.large_string())
_LONG_ARROW = pa.schema([("case_id", _WORDS), ("action", _WORDS), ("outcome", _WORDS), ("until", pa.timestamp("us")),
                         ("citations", pa.large_list(_WORDS))])  # LONG_SCHEMA as written


Progress = Callable[[int, int | None], None]  # (cases decided, cases in all or None when not known yet)
# Cases per chunk: a facts frame of 200,000 cases is about 0.1 GB and the columnar backend's fixed cost
# per chunk small beside it; Case objects (JSON Lines in, or the interpreter) take some kB each.
CASES_AT_ONCE = 10_000
DECISIONS_AT_ONCE = 5_000  # Decision objects built before they are written (JSON Lines from the columnar backend)


def run_batch(inp: Path, out: Path, backend: str = "interpreter", pack: LawPack | None = None,
              reform: Reform = BASELINE, progress: Progress | None = None, chunk_rows: int | None = None,
              place: Jurisdiction | None = None,
              scenario: str | None = None) -> int:
    """Decide every case of ``inp`` into ``out``; returns the number of cases. The input is read,
    decided and written chunk by chunk (``chunk_rows`` cases; by default ``frame.CHUNK_ROWS`` from a
    facts frame to the columnar backend, else ``CASES_AT_ONCE``), so memory follows the chunk, not the
    file; the output appears at ``out`` only once every case is decided (a bad row leaves no partial
    file). ``progress(done, total)`` is called after each chunk. Every case is of ``place``; if None,
    of the place the first case of a JSON Lines file names, else of the default place (a facts
    frame names no place). ``scenario``: the name each Decision gives its law's scenario (``law.scenario``)."""
    inp, out = Path(inp), Path(out)
    if backend not in BACKENDS:
        raise ValueError(f"--backend: {backend!r} is not one of {', '.join(BACKENDS)}")
    for p, what in ((inp, "--batch"), (out, "--out")):
        if p.suffix not in SUFFIXES:
            raise ValueError(f"{what}: {p} must be a .jsonl or .parquet file")
    if not inp.exists():
        raise FileNotFoundError(f"{inp}: no such file")
    if out.resolve() == inp.resolve():
        raise ValueError(f"--out: {out} is the input file (--batch): choose another file, the input is kept")
    if not out.parent.is_dir():
        raise ValueError(f"--out: {out}: the directory {out.parent} does not exist")
    place = place or (_named_place(inp) if inp.suffix == ".jsonl" else None) or jurisdictions.get(jurisdictions.DEFAULT)
    frames = _frames(place)
    pack = pack or place.pack()
    stack = place.layered(pack, reform)
    rows = chunk_rows or (CHUNK_ROWS if backend == "columnar" and inp.suffix == ".parquet" else CASES_AT_ONCE)
    total, chunks = (_jsonl_chunks(inp, rows, place) if inp.suffix == ".jsonl"
                     else _parquet_chunks(inp, rows, place))
    done = 0
    pending = None  # the last chunk's rows being written (columnar backend) while the next is decided
    known: decision_lines.Known = {}  # the JSON Lines' templates of the keys seen so far
    with _Sink(out) as sink, ThreadPoolExecutor(max_workers=1) as writing:
        for first, ids, cases, frame in _ahead(chunks):
            if backend == "interpreter":
                if cases is None:
                    check_frame(frame, str(inp), first, place)  # type: ignore[arg-type]
                    cases = frame_cases(frame, first, place)  # type: ignore[arg-type]
                sink.decisions(ids, _interpret(cases, ids, pack, reform, scenario))
            else:
                if frame is None:
                    frame = facts_frame(cases, ids, place)  # type: ignore[arg-type]
                check_frame(frame, str(inp), first, place)
                if out.suffix == ".parquet":  # from the layers' answers, no string column per row
                    table = long_answers(frame, stack_answers(ColumnarChunk.of(frame, place.schema), stack), stack)
                    if pending is not None:
                        pending.result()
                    pending = writing.submit(sink.long, table)
                else:
                    warned = ([place.warnings(c) for c in cases] if cases is not None
                              else [w for at in range(0, len(ids), DECISIONS_AT_ONCE)  # a few thousand rows at a time
                                    for w in frames.warnings(frame.slice(at, DECISIONS_AT_ONCE))])
                    result = evaluate_stack(frame, stack)
                    lines = _chunk_lines(result, stack, place, known, scenario) if FAST_LINES and sink.utf8 else None
                    if pending is not None:
                        pending.result()
                        pending = None
                    if lines is None:
                        _row_lines(sink, result, ids, warned, stack, place, scenario)
                    else:  # written while the next chunk is read and decided
                        pending = writing.submit(sink.write, lines.lines(decision_lines.warnings_json(warned)))
                    del result, lines  # not kept beside the next chunk's
            done += len(ids)
            if progress:
                progress(done, total)
        if pending is not None:
            pending.result()
    return done


Chunk = tuple[int, list[str], list | None, pl.DataFrame | None]  # first row, ids, cases or a frame
FAST_LINES = True  # JSON Lines from the columnar backend through ``decision_lines`` (False: a Decision per row)


def _chunk_lines(result: pl.DataFrame, stack: Stack, place: Jurisdiction,
                 known: decision_lines.Known, scenario: str | None = None) -> decision_lines.Lines | None:
    """A chunk's JSON Lines as templates of its distinct Decisions (``decision_lines``; ``known``: those
    of earlier chunks); None where they cannot be made (``_row_lines`` then writes the chunk)."""
    epochs = [_snapshots(result, p, r).to_numpy() for _, p, r in stack]
    return decision_lines.prepare(result, stack, _names(result, stack), epochs,
                                  partial(frame_decisions, stack=stack, place=place, scenario=scenario), known)


def _row_lines(sink: _Sink, result: pl.DataFrame, ids: list[str], warned: list[list[InputWarning]],
               stack: Stack, place: Jurisdiction, scenario: str | None = None) -> None:
    """A chunk's JSON Lines from a Decision object per row, a few thousand at a time (they take some
    kB a case)."""
    for at in range(0, len(ids), DECISIONS_AT_ONCE):
        span = slice(at, at + DECISIONS_AT_ONCE)
        decisions = frame_decisions(result.slice(at, DECISIONS_AT_ONCE), stack, place, scenario)
        for d, w in zip(decisions, warned[span], strict=True):
            d.warnings = w
        sink.decisions(ids[span], decisions)


def _named_place(inp: Path) -> Jurisdiction | None:
    """The place the first case of a JSON Lines file names (None if it names none or is not read here:
    the reader reports a bad line where it is)."""
    with inp.open("rb") as fh:
        for raw in fh:
            if raw.strip():
                try:
                    data = json.loads(raw)
                except (ValueError, RecursionError):
                    return None
                if isinstance(data, dict) and isinstance(data.get("case"), dict) and "agency" not in data:
                    data = data["case"]
                named = data.get("jurisdiction") if isinstance(data, dict) else None
                return jurisdictions.get(named) if isinstance(named, str) else None
    return None


def _frames(place: Jurisdiction) -> Frames:
    if place.frames is None:
        raise ValueError(f"{place.id}: this place's law package does not decide cases in batches")
    return place.frames


def _jsonl_chunks(inp: Path, rows: int, place: Jurisdiction) -> tuple[None, Iterator[Chunk]]:
    """Chunks of Cases from a .jsonl file as its lines are read; a case_id seen before is refused
    at the line that repeats it. The number of cases is not known before the end."""

    def chunks() -> Iterator[Chunk]:
        seen: set[str] = set()
        first, ids, cases = 0, [], []
        for line, cid, case in iter_jsonl(inp, place):
            if cid in seen:
                raise ValueError(f"{inp}: line {line}: case_id: {cid!r} is not unique (an earlier line has it)")
            seen.add(cid)
            ids.append(cid)
            cases.append(case)
            if len(ids) == rows:
                yield first, ids, cases, None
                first, ids, cases = first + rows, [], []
        if ids or not first:
            yield first, ids, cases, None

    return None, chunks()


def _parquet_chunks(inp: Path, rows: int, place: Jurisdiction) -> tuple[int, Iterator[Chunk]]:
    """Chunks of a facts-frame Parquet file (``frame.open_frame``), after its case ids alone are
    read and checked (present, unique) so that no chunk is decided from a file that will be refused."""
    file = open_frame(inp, place=place)
    if "case_id" in file.columns:
        ids = file.column("case_id")
        if ids.null_count():
            raise ValueError(f"{inp}: row {ids.is_null().arg_true()[0] + 1}: case_id: value is missing")
        dup = ids.cast(pl.String).is_duplicated()
        if dup.any():
            row = dup.arg_true()[0]
            raise ValueError(f"{inp}: row {row + 1}: case_id: {ids[row]!r} is not unique (another row has it)")
        del ids, dup

    def chunks() -> Iterator[Chunk]:
        for first, frame in file.chunks(rows):
            frame = frame.with_columns(pl.col("case_id").cast(pl.String))
            yield first, frame["case_id"].to_list(), None, frame

    return file.rows, chunks()


_END = object()


def _ahead(items: Iterator[Chunk]) -> Iterator[Chunk]:
    """``items`` with the next one read on another thread while the current one is decided
    (reading and checking a chunk is mostly Arrow and Polars work, outside the GIL)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        nxt = pool.submit(next, items, _END)
        while (item := nxt.result()) is not _END:
            nxt = pool.submit(next, items, _END)
            yield item  # type: ignore[misc]


class _Sink:
    """Decisions written as chunks are decided: .jsonl, one Decision a line; .parquet, rows of
    ``LONG_SCHEMA``. They go to a hidden file beside ``out``, renamed to ``out`` when every chunk
    is written and removed if any fails."""

    def __init__(self, out: Path) -> None:
        self.out, self.tmp = out, out.with_name(f".{out.name}.part")
        self.text = self.tmp.open("w") if out.suffix == ".jsonl" else None
        self.writer = None

    def __enter__(self) -> _Sink:
        return self

    def __exit__(self, kind: type | None, *exc: object) -> None:
        try:
            if self.text is not None:
                self.text.close()
            elif self.writer is not None:
                self.writer.close()
            elif kind is None:  # no chunk: the empty table of the same columns
                pl.DataFrame(schema=LONG_SCHEMA).write_parquet(self.tmp)
            if kind is None:
                self.tmp.replace(self.out)
        finally:
            self.tmp.unlink(missing_ok=True)

    @property
    def utf8(self) -> bool:
        """Whether the .jsonl text is written as UTF-8 (``write`` takes UTF-8 bytes)."""
        return self.text is not None and codecs.lookup(self.text.encoding).name == "utf-8"

    def write(self, parts: Iterable[memoryview]) -> None:
        """JSON Lines already encoded (UTF-8), after the text written before them."""
        assert self.text is not None
        self.text.flush()
        for p in parts:
            self.text.buffer.write(p)

    def decisions(self, ids: list[str], decisions: list[Decision]) -> None:
        if self.text is not None:
            self.text.writelines(d.model_dump_json() + "\n" for d in decisions)
            return
        self.long(pl.DataFrame([
            {"case_id": cid, "action": a, "outcome": r.outcome.value, "until": r.until, "citations": r.citations}
            for cid, d in zip(ids, decisions, strict=True)
            for a, r in d.actions.items()
        ], schema=LONG_SCHEMA))

    def long(self, frame: pl.DataFrame | pa.Table) -> None:
        """Rows of ``LONG_SCHEMA`` written: case ids, actions and outcomes as dictionary codes (written as
        Parquet dictionary pages; the file's schema is not stored, so they read back as strings)."""
        import pyarrow.parquet as pq

        table = frame.to_arrow() if isinstance(frame, pl.DataFrame) else frame
        if self.writer is None:
            self.writer = pq.ParquetWriter(self.tmp, _LONG_ARROW, compression="zstd", store_schema=False)
        self.writer.write_table(table if table.schema.equals(self.writer.schema) else table.cast(self.writer.schema))


def _interpret(cases: list, ids: list[str], pack: LawPack, reform: Reform,
               scenario: str | None = None) -> list[Decision]:
    out = []
    for cid, case in zip(ids, cases, strict=True):
        try:
            d = decide(case, pack, reform, explain=False)
        except InputError as e:
            raise ValueError(f"case {cid}: {e}") from None
        d.law.scenario = scenario  # its own LawRef: not shared with other Decisions
        out.append(d)
    return out


def check_frame(frame: pl.DataFrame, where: str = "", first_row: int = 0, place: Jurisdiction | None = None) -> None:
    """The checks ``decide`` makes, vectorized: no nulls in the facts, then the place's own
    (``Frames.check``: its case model's date checks, the facts the law in force needs). Rows are
    named from ``first_row`` + 1 (a chunk names its row in the file)."""
    place = place or jurisdictions.get(jurisdictions.DEFAULT)
    prefix = f"{where}: " if where else ""
    lists = place.schema.lists
    for col in facts_columns(place):
        nulls = frame[col].null_count()
        if nulls and col not in lists:
            row = frame.with_row_index("_i").filter(pl.col(col).is_null())["_i"][0]
            raise ValueError(f"{prefix}row {first_row + row + 1} (case_id {frame['case_id'][row]}): {col}: "
                             "value is missing")
    _frames(place).check(frame, where, first_row)


Stack = list[tuple[str, LawPack, Reform]]


def _col(result: pl.DataFrame, name: str, lid: str, stack: Stack) -> str:
    """A layer's column: ``{name}@{layer}`` when the stack has several layers, else ``{name}``."""
    return f"{name}@{lid}" if len(stack) > 1 else name


def _snapshots(result: pl.DataFrame, pack: LawPack, reform: Reform) -> pl.Series:
    """The law version (snapshot key) of each row, as an index into the pack's epoch starts."""
    bounds = pack.boundaries(reform)
    b = pl.Series([d.toordinal() for d in bounds], dtype=pl.Int64)
    return b.search_sorted(result["decided_day"].cast(pl.Int64), side="right").cast(pl.Int64)


def _names(result: pl.DataFrame, stack: Stack) -> dict[str, list[tuple[str, str, str]]]:
    """Per action of any layer, each layer's (rule, outcome, until) columns of ``evaluate_stack`` output."""
    actions_all = list(dict.fromkeys(a for _, p, _ in stack for a in C.pack_actions(p)))
    return {a: [tuple(_col(result, c, lid, stack) for c in (f"{a}_rule", a, f"{a}_until"))  # type: ignore[misc]
                for lid, _, _ in stack] for a in actions_all}


def frame_decisions(result: pl.DataFrame, stack: Stack, place: Jurisdiction | None = None,
                    scenario: str | None = None) -> list[Decision]:
    """Decisions (without register notes or explanations) from ``evaluate_stack`` output: each
    layer's answer read off its rule label, combined by ``results.action_result`` as ``decide``
    combines the interpreter's. Snapshots, answers, action results and law references repeat
    across rows: each is built once per distinct key and shared (a row then costs its Decision
    objects, not a walk of the law)."""
    place = place or jurisdictions.get(jurisdictions.DEFAULT)
    home = next(i for i, (lid, _, _) in enumerate(stack) if lid == place.home)
    starts = [[dt.date(1900, 1, 1), *p.boundaries(r)] for _, p, r in stack]
    epochs = [_snapshots(result, p, r).to_list() for _, p, r in stack]
    names = _names(result, stack)
    actions_all = list(names)
    when = "decided_minute" if "decided_minute" in result.columns else "decided_day"  # a place may keep days only
    cols = ["agency", "kind", when, *(c for a in actions_all for layer in names[a] for c in layer)]
    raw = result["decided_at"].to_list() if "decided_at" in result.columns else [None] * result.height
    snaps: dict[tuple, Snapshot] = {}
    answers: dict[tuple, LayerAnswer] = {}
    parts: dict[tuple, tuple] = {}
    # shared by the Decisions that have it (they are not changed after), with the LAYERS note's words for it
    results: dict[tuple, tuple[ActionResult, str | None]] = {}
    laws: dict[tuple, LawRef] = {}
    engaged_of: dict[tuple[str, str], list[str]] = {}
    times: dict[int | None, dt.datetime | None] = {None: None}

    def time_of(minute: int | None) -> dt.datetime | None:
        hit = times.get(minute, False)
        if hit is False:
            hit = times[minute] = to_datetime(minute)  # type: ignore[arg-type]
        return hit  # type: ignore[return-value]

    def snap(k: int, epoch: int, agency: str) -> Snapshot:
        hit = snaps.get((k, epoch, agency))
        if hit is None:
            _, p, rf = stack[k]
            hit = snaps[(k, epoch, agency)] = p.snapshot(starts[k][epoch], agency, rf)
        return hit

    def label_parts(k: int, epoch: int, agency: str, a: str, label: str | None) -> tuple:
        """What a rule label says whatever the case: citations, preemption and the conditions' words."""
        pk = (k, epoch, agency, a, label)
        hit = parts.get(pk)
        if hit is None:
            s = snap(k, epoch, agency)
            deciding = C.parse_rule_label(s, a, label)
            hit = parts[pk] = (
                C.label_citations(s, a, label) if label else [],
                any(rule.preempts if b == 0 else rule.ranked()[b - 1].preempts for rule, b in deciding),
                partial(worded, condition_texts(s, a, label)) if label else _no_conditions)
        return hit

    def layer_answer(k: int, epoch: int, agency: str, a: str, label: str | None, outcome: str,
                     until: int | None) -> LayerAnswer:
        """A layer's answer from its rule label (``results.LayerAnswer``), built once per distinct key (the
        label's own parts once per label: a time limit differs from case to case)."""
        ak = (k, epoch, agency, a, label, outcome, until)
        hit = answers.get(ak)
        if hit is None:
            cites, preempts, conditions = label_parts(k, epoch, agency, a, label)
            hit = answers[ak] = LayerAnswer(stack[k][0], outcome, cites, time_of(until), preempts, conditions)
        return hit

    out = []
    for n, (r, decided) in enumerate(zip(result.select(list(dict.fromkeys(cols))).iter_rows(named=True), raw,
                                         strict=True)):
        agency = r["agency"]
        key = tuple(e[n] for e in epochs)
        engaged = engaged_of.get((agency, r["kind"]))
        if engaged is None:
            engaged = engaged_of[(agency, r["kind"])] = list(dict.fromkeys(
                a for _, p, _ in stack for a in p.engaged(agency, r["kind"])))
        actions = {}
        notes: dict[str, Note] = {}
        for a in engaged:
            per = tuple((r[rule], r[o] or NOT_GOVERNED, r[u]) for rule, o, u in names[a])
            hit = results.get((key, agency, a, per))
            if hit is None:
                local: dict[str, Note] = {}
                result = action_result(a, [layer_answer(k, key[k], agency, a, *lab) for k, lab in enumerate(per)],
                                       local)
                said = local.get(LAYER_CONFLICT)
                hit = results[(key, agency, a, per)] = (result, said.text if said else None)
            actions[a] = hit[0]
            if hit[1]:
                add_conflict(notes, hit[1])
        law = laws.get((key, agency))
        if law is None:
            s = [snap(k, key[k], agency) for k in range(len(stack))]
            law = laws[(key, agency)] = LawRef(
                version=s[home].version, sources=s[home].sources, scenario=scenario,
                layers=[LayerRef(id=lid, title=t.title, version=s[k].version, sources=s[k].sources)
                        for k, ((lid, _, _), t) in enumerate(zip(stack, place.layers, strict=True)) if s[k].actions])
        out.append(Decision(jurisdiction=place.id, agency=agency,
                            decided_at=_decided_at(decided, r["decided_minute"], time_of) if when == "decided_minute"
                            else dt.date.fromordinal(r["decided_day"]), law=law, actions=actions,
                            notes=list(notes.values())))
    return out


def _no_conditions(_: dt.datetime | None) -> list[str]:
    return []


def _decided_at(raw: str | None, minute: int,
                time_of: Callable[[int], dt.datetime | None] = to_datetime) -> dt.datetime | dt.date:
    if raw is None:
        return time_of(minute)  # type: ignore[return-value]
    return dt.date.fromisoformat(raw) if len(raw) == 10 else dt.datetime.fromisoformat(raw)


def layer_citations(stack: Stack, starts: list[list[dt.date]]) -> Callable[[int, str, int, str, str | None],
                                                                          list[str]]:
    """``cites(k, action, epoch, agency, label)``: what layer ``k``'s rule label cites in that epoch (numbered
    in ``starts[k]``) and agency, read once per distinct key."""
    seen: dict[tuple, list[str]] = {}

    def cites(k: int, a: str, epoch: int, agency: str, label: str | None) -> list[str]:
        hit = seen.get((k, a, epoch, agency, label))
        if hit is None:
            _, p, rf = stack[k]
            hit = seen[(k, a, epoch, agency, label)] = (
                C.label_citations(p.snapshot(starts[k][epoch], agency, rf), a, label) if label else [])
        return hit

    return cites


def long_answers(frame: pl.DataFrame, layers: list[LayerAnswers], stack: Stack) -> pa.Table:
    """The Parquet output's rows from the layers' answers on a chunk (``stack.stack_answers``) without an
    ``evaluate_stack`` frame: each action's combination (``stack.combine_action``) read as codes, the
    citations built once per distinct (agency, combination of the layers' answers, law version of each
    layer), and every row placed at its slot (case, then the action's place in what ``decide`` reports),
    with case ids, actions and outcomes as dictionary codes."""
    from detainerlaw.engine.rules import OUTCOMES

    n = frame.height
    if n == 0:
        return _LONG_ARROW.empty_table()
    actions = stack_actions(layers)
    agency = frame["agency"].cast(pl.String)
    kind = frame["kind"].cast(pl.String)
    ag_names = agency.unique(maintain_order=True).to_list()
    kd_names = kind.unique(maintain_order=True).to_list()
    ag = agency.replace_strict(ag_names, range(len(ag_names)), return_dtype=pl.Int64).to_numpy()
    kd = kind.replace_strict(kd_names, range(len(kd_names)), return_dtype=pl.Int64).to_numpy()
    day = frame["decided_day"].cast(pl.Int64).to_numpy()
    starts = [[dt.date(1900, 1, 1), *p.boundaries(r)] for _, p, r in stack]
    epochs = [np.searchsorted(np.array([d.toordinal() for d in s_[1:]], dtype=np.int64), day, side="right")
              for s_ in starts]
    # the place of each action among those decide reports for an agency and request kind
    pos = np.full((len(actions), len(ag_names), len(kd_names)), -1, dtype=np.int64)
    count = np.zeros((len(ag_names), len(kd_names)), dtype=np.int64)
    for i, a_ in enumerate(ag_names):
        for j, k_ in enumerate(kd_names):
            order = list(dict.fromkeys(x for _, p, _ in stack for x in p.engaged(a_, k_)))
            count[i, j] = len(order)
            for q, x in enumerate(order):
                pos[actions.index(x), i, j] = q
    per_row = count[ag, kd]
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(per_row, out=offsets[1:])
    total = int(offsets[-1])
    row_of = np.zeros(total, dtype=np.int32)
    action_of = np.zeros(total, dtype=np.int32)
    outcome_of = np.zeros(total, dtype=np.int32)
    until_of = np.full(total, NO_UNTIL, dtype=np.int64)
    cite_of = np.zeros(total, dtype=np.int64)
    filled = np.zeros(total, dtype=bool)
    cites: list[list[int]] = []  # of every distinct combination (numbered across actions), as codes of ``words``
    words: dict[str, int] = {}
    cites_of = layer_citations(stack, starts)

    for ai, a in enumerate(actions):
        c = combine_action(a, layers)
        if c is None:
            continue
        rows = np.flatnonzero(c.engaged[c.ids])
        if not len(rows):
            continue
        ids = c.ids[rows].astype(np.int64)
        keys = [(ag[rows], len(ag_names)), (ids, len(c.engaged))]
        keys += [(e[rows], len(starts[k])) for k, e in enumerate(epochs)]
        number, tuples = _distinct(len(rows), keys)
        for t in tuples:
            g, combo, *eps = t
            got: list[str] = []
            for k, la in enumerate(layers):
                if c.decides[k][combo]:
                    r = int(c.layer_rule[k][combo])
                    label = la.words()[r] if r >= 0 else None
                    got += [x for x in cites_of(k, a, eps[k], ag_names[g], label) if x not in got]
            cites.append([words.setdefault(x, len(words)) for x in got])
        slot = offsets[rows] + pos[ai, ag[rows], kd[rows]]
        if (pos[ai, ag[rows], kd[rows]] < 0).any():
            raise AssertionError(f"columnar: {a} decided where it is not engaged")
        row_of[slot] = rows
        action_of[slot] = ai
        outcome_of[slot] = c.outcome[ids]
        until_of[slot] = c.until[rows]
        cite_of[slot] = number + (len(cites) - len(tuples))
        filled[slot] = True
    if not filled.all():
        raise AssertionError("columnar: an engaged action without an answer")
    minutes = until_of - C.EPOCH_ORDINAL * 1440
    micros = np.where(until_of == NO_UNTIL, 0, minutes * 60_000_000)
    valid = until_of != NO_UNTIL
    until = pa.Array.from_buffers(pa.timestamp("us"), total, [
        None if valid.all() else pa.py_buffer(np.packbits(valid, bitorder="little")), pa.py_buffer(micros)])
    case_ids = frame["case_id"].cast(pl.String).to_arrow().cast(pa.large_string())
    lens = np.array([len(x) for x in cites], dtype=np.int64)  # each row's citations: its combination's, gathered
    flat = np.array([w for x in cites for w in x], dtype=np.int32)
    at = np.zeros(len(cites) + 1, dtype=np.int64)
    np.cumsum(lens, out=at[1:])
    length = lens[cite_of]
    off = np.zeros(total + 1, dtype=np.int64)
    np.cumsum(length, out=off[1:])
    values = flat[np.repeat(at[cite_of] - off[:-1], length) + np.arange(off[-1])]
    citations = pa.LargeListArray.from_arrays(pa.array(off), pa.DictionaryArray.from_arrays(
        pa.array(values), pa.array(list(words), type=pa.large_string())))
    return pa.table({
        "case_id": pa.DictionaryArray.from_arrays(pa.array(row_of), case_ids),
        "action": pa.DictionaryArray.from_arrays(pa.array(action_of), pa.array(actions, type=pa.large_string())),
        "outcome": pa.DictionaryArray.from_arrays(pa.array(outcome_of), pa.array(OUTCOMES, type=pa.large_string())),
        "until": until,
        "citations": citations,
    }, schema=_LONG_ARROW)


__all__ = ["run_batch", "check_frame", "frame_decisions", "long_answers"]
