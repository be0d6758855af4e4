"""Readable renderings of a Decision: a Rich tree for terminals, plain text for logs."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from rich.tree import Tree

from detainerlaw import jurisdictions
from detainerlaw.models.decision import Decision, Explanation

MARK = {True: ("✔", "green"), False: ("✘", "red"), None: ("•", "dim")}
STYLE = {"permitted": "bold green", "prohibited": "bold red", "not_governed": "bold yellow", "required": "bold blue"}


def _label(e: Explanation) -> Text:
    mark, style = MARK[e.holds]
    t = Text(f"{mark} ", style=style)
    t.append(e.rule)
    if e.citation:
        t.append(f"  [{e.citation}]", style="cyan")
    return t


def _grow(tree: Tree, e: Explanation) -> None:
    for child in e.because:
        _grow(tree.add(_label(child)), child)


def decision_renderable(d: Decision, *, title: str | None = None) -> Group:
    parts = []
    labels = jurisdictions.get(d.jurisdiction).labels  # the place's words for its agencies and actions
    head = Text(title + "\n" if title else "", style="bold")
    agency = labels.agencies.get(d.agency, d.agency.upper())
    law = f"law {d.law.version} ({', '.join(d.law.sources)})" if d.law.sources else "no rule of its own in force"
    head.append(f"{agency} · {d.decided_at} · {law}")
    for layer in d.law.layers if len(d.law.layers) > 1 else ():
        head.append(f"\n  layer {layer.id}: {layer.title} ({', '.join(layer.sources)})", style="dim")
    parts.append(head)
    for action, r in d.actions.items():
        named = labels.actions.get(action)
        t = Text(f"{named} [{action}]: " if named else f"{action.replace('_', ' ')}: ", style="bold")
        t.append(r.outcome.value.replace("_", " "), style=STYLE[r.outcome.value])
        if r.until:
            t.append(f" until {r.until.isoformat(timespec='minutes')}")
        tree = Tree(t)
        if len(r.by_layer) > 1:
            line = Text("layers: ", style="bold")
            for i, (lid, lr) in enumerate(r.by_layer.items()):
                line.append(("  ·  " if i else "") + f"{lid} ")
                line.append(lr.outcome.value.replace("_", " "), style=STYLE[lr.outcome.value])
            line.append("  →  combined: a prohibition in any layer prevails unless a higher layer requires the "
                        "action or preempts it; then required, permitted, not governed", style="dim")
            tree.add(line)
        for c in r.conditions:
            tree.add(Text(f"→ {c}", style="italic"))
        if r.citations:
            tree.add(Text("cited: " + "; ".join(r.citations), style="cyan"))
        if r.explanation:
            _grow(tree.add(Text("why", style="bold")), r.explanation)
        parts.append(tree)
    for n in d.notes:
        parts.append(Text(f"note {n.code}: {n.text}", style="dim"))
    for w in d.warnings:
        parts.append(Text(f"warning {w.field}: {w.text}", style="bold yellow"))
    return Group(*parts)
