"""The graph store -> one project's timeline across documents: year -> status -> sources.

Every document that states a project's state adds a status statement (``kg build``). A project
named alike in several documents is one feature (features are city-scoped); it also goes by other
names: the same name without a range in parentheses (明海大道一期 for 明海大道一期(北环东路-镇海大道)),
its sections and phases (link by base name, as ``kg.resolve.link_base_entities`` does) and
abbreviations that drop characters (杭甬复线宁波段三期, 杭甬高速复线三期 for 杭甬高速复线宁波段三期).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import KGError

__all__ = [
    "TIMELINE_FORMATS",
    "Feature",
    "TimelineEntry",
    "Timeline",
    "ProjectNotFoundError",
    "AmbiguousProjectError",
    "is_abbreviation",
    "load_features",
    "load_statements",
    "find_project",
    "project_timeline",
    "format_timeline",
]

TIMELINE_FORMATS: tuple[str, ...] = ("table", "json")
_MAX_CANDIDATES = 10


class ProjectNotFoundError(KGError):
    """No road, rail line, housing programme or project goes by the name asked for."""


class AmbiguousProjectError(KGError):
    """A part of a name that several projects' names contain."""


@dataclass(frozen=True)
class Feature:
    """A road, rail line, housing programme or project in the store, with every name it has."""

    iri: str
    type: str
    name: str  # preferred label
    labels: tuple[str, ...]  # all labels, sorted


@dataclass(frozen=True)
class TimelineEntry:
    """One document's statement of a project's state in a year."""

    year: int | None
    status: str
    stage: int
    reported: bool  # a review reports it (else a plan commits to it)
    hedged: bool
    name: str  # the feature's name in that document
    feature: str  # its IRI
    document: str  # the document's IRI
    source_file: str
    issued: str | None
    evidence: str
    cue: str
    start: int | None
    end: int | None


@dataclass(frozen=True)
class Timeline:
    """A project, the names it goes by and what each document says of it, by year."""

    query: str
    name: str
    type: str
    aliases: tuple[str, ...]
    features: tuple[Feature, ...]
    entries: tuple[TimelineEntry, ...]

    def by_year(self) -> dict[int | None, dict[str, list[TimelineEntry]]]:
        """year -> status -> the entries saying so, years and statuses in order."""
        years: dict[int | None, dict[str, list[TimelineEntry]]] = {}
        for e in self.entries:
            years.setdefault(e.year, {}).setdefault(e.status, []).append(e)
        return years

    def state(self, year: int | None) -> str | None:
        """The state of a year: what reports say (the furthest), else what plans commit to."""
        entries = [e for e in self.entries if e.year == year]
        if not entries:
            return None
        return max(entries, key=lambda e: (e.reported, not e.hedged, e.stage)).status


def _normal(name: str) -> str:
    return re.sub(r"[\s“”\"']", "", unicodedata.normalize("NFKC", name))


def _rows(store: Any, name: str) -> list[dict[str, Any]]:
    """Run ``kg/sparql/<name>.rq``; each row maps variable -> Python value (absent when unbound)."""
    from importlib.resources import files

    text = (files("kg") / "sparql" / f"{name}.rq").read_text(encoding="utf-8")
    result = store.query(text)
    names = [v.value for v in result.variables]
    rows = []
    for row in result:
        rows.append({n: _value(row[n]) for n in names if row[n] is not None})
    return rows


def _value(term: Any) -> Any:
    import pyoxigraph

    if isinstance(term, pyoxigraph.Literal):
        kind = term.datatype.value.rsplit("#", 1)[-1]
        if kind in ("integer", "int", "long"):
            return int(term.value)
        if kind == "boolean":
            return term.value == "true"
        return term.value
    return term.value


def load_features(store: Any) -> list[Feature]:
    """Every feature in the store with its names."""
    labels: dict[str, set[str]] = {}
    preferred: dict[str, str] = {}
    types: dict[str, str] = {}
    for row in _rows(store, "timeline_features"):
        iri = row["feature"]
        labels.setdefault(iri, set()).add(row["label"])
        types.setdefault(iri, row["type"])
        if row.get("preferred"):
            preferred.setdefault(iri, row["label"])
    return [
        Feature(iri, types[iri], preferred.get(iri, min(labels[iri])), tuple(sorted(labels[iri])))
        for iri in sorted(labels)
    ]


def load_statements(store: Any, features: Iterable[str] | None = None) -> list[TimelineEntry]:
    """The status statements in the store, of the given features only when some are given."""
    wanted = set(features) if features is not None else None
    entries = []
    for row in _rows(store, "timeline_statuses"):
        if wanted is not None and row["feature"] not in wanted:
            continue
        entries.append(
            TimelineEntry(
                year=row.get("year"),
                status=row["status"],
                stage=row["stage"],
                reported=bool(row.get("reported", True)),
                hedged=bool(row.get("hedged", False)),
                name="",
                feature=row["feature"],
                document=row["document"],
                source_file=row.get("source_file", row["document"].rsplit("/", 1)[-1]),
                issued=row.get("issued"),
                evidence=row["quote"],
                cue=row.get("cue", ""),
                start=row.get("start"),
                end=row.get("end"),
            )
        )
    return entries


_HEAD = re.compile(r"^(?:城市轨道交通|轨道交通|地铁)")
_TAIL = re.compile(
    r"(?:[一二三四五六七八九十]+|[0-9]+)期(?:工程|项目)?$|[东南西北中]段$|[东南西北]延$|[0-9]+号线$"
)
_RANGE = re.compile(r"^(?P<base>.+?)\((?P<inner>[^()]*[-—~至][^()]*)\)(?P<rest>.*)$")


def is_abbreviation(short: str, full: str) -> bool:
    """True when ``short`` names what ``full`` names with characters left out.

    Both start alike, end in the same phase or section, and ``short`` is ``full`` with at most two
    runs of characters (at most half of it) dropped; a rail line's 轨道交通 is never needed.

    >>> full = "杭甬高速复线宁波段三期"
    >>> is_abbreviation("杭甬复线宁波段三期", full), is_abbreviation("杭甬高速复线三期", full)
    (True, True)
    >>> is_abbreviation("329国道三期", "329国道一期"), is_abbreviation("3号线二期", "轨道交通3号线二期")
    (False, True)
    """
    s, f = _HEAD.sub("", _normal(short)), _HEAD.sub("", _normal(full))
    if s == f:
        return _normal(short) != _normal(full)
    if len(s) < 3 or len(s) >= len(f) or s[:2] != f[:2]:
        return False
    tail_s, tail_f = _TAIL.search(s), _TAIL.search(f)
    if (tail_s.group() if tail_s else "") != (tail_f.group() if tail_f else ""):
        return False
    i = gaps = dropped = 0
    in_gap = False
    for ch in f:
        if i < len(s) and s[i] == ch:
            i, in_gap = i + 1, False
        else:
            gaps, in_gap = gaps + (not in_gap), True
            dropped += 1
    return i == len(s) and gaps <= 2 and dropped * 2 <= len(f)


def _without_range(name: str) -> str | None:
    """明海大道一期(北环东路-镇海大道) -> 明海大道一期; a name without a range -> None."""
    m = _RANGE.match(name)
    return (m.group("base") + m.group("rest")).strip() if m else None


def _aliases(found: Sequence[Feature], features: Sequence[Feature]) -> list[Feature]:
    """Features that are the found ones under other names: with or without a range, their sections
    and phases (by base name), abbreviations either way; of the same type."""
    from kg.resolve import base_name

    names = {_normal(label) for f in found for label in f.labels}
    bases = {_normal(b) for n in names if (b := _without_range(n))}
    types = {f.type for f in found}
    iris = {f.iri for f in found}
    linked = []
    for other in features:
        if other.iri in iris or other.type not in types:
            continue
        labels = [_normal(x) for x in other.labels]
        if any(
            x in bases
            or _without_range(x) in names
            or (base_name(x) and _normal(base_name(x) or "") in names)
            or any(is_abbreviation(x, n) or is_abbreviation(n, x) for n in names)
            for x in labels
        ):
            linked.append(other)
    return linked


def find_project(features: Sequence[Feature], name: str) -> tuple[list[Feature], list[Feature]]:
    """The features named ``name`` (by a label, else by a unique part of one) and their aliases.

    Raises:
        ProjectNotFoundError: no feature's name is or contains ``name``.
        AmbiguousProjectError: ``name`` is part of the names of several unrelated features.
    """
    key = _normal(name)
    if not key:
        raise ProjectNotFoundError("the project name is empty; give a name such as 杭甬高速复线宁波段三期")
    exact = [f for f in features if key in {_normal(x) for x in f.labels}]
    if not exact:
        exact = [f for f in features if any(key in _normal(x) for x in f.labels)]
        if not exact:
            raise ProjectNotFoundError(
                f"no road, rail line, housing programme or project is named {name!r} or has it in its name; "
                "check the name, or build the graph with 'kg build' first"
            )
        groups = _connected(exact, features)
        if len(groups) > 1:
            listing = ", ".join(sorted(g[0].name for g in groups)[:_MAX_CANDIDATES])
            raise AmbiguousProjectError(
                f"{name!r} is part of the names of {len(groups)} projects: {listing}; give more of the name"
            )
        exact = groups[0]
    return exact, _alias_closure(exact, features)


def _alias_closure(found: Sequence[Feature], features: Sequence[Feature], rounds: int = 3) -> list[Feature]:
    """Aliases of the found features, and their aliases (杭甬复线宁波段三期 -> 杭甬高速复线宁波段三期
    -> 杭甬高速复线三期), a few links deep."""
    known = list(found)
    aliases: list[Feature] = []
    for _ in range(rounds):
        more = [f for f in _aliases(known, features) if f not in aliases]
        if not more:
            break
        aliases.extend(more)
        known.extend(more)
    return aliases


def _connected(candidates: Sequence[Feature], features: Sequence[Feature]) -> list[list[Feature]]:
    """Candidates grouped by alias links (one project under several names is one group)."""
    groups: list[list[Feature]] = []
    for f in sorted(candidates, key=lambda f: (len(f.name), f.name)):
        for g in groups:
            if any(a.iri == f.iri for a in _aliases(g, features)):
                g.append(f)
                break
        else:
            groups.append([f])
    return groups


def project_timeline(source: Path | Any, name: str) -> Timeline:
    """The timeline of the project called ``name`` (a name, an alias or a unique part of one).

    Args:
        source: the folder ``kg build`` wrote (holding ``store/``), or an open pyoxigraph store.
        name: the project's name.

    Raises:
        GraphNotBuiltError: the folder holds no store.
        ProjectNotFoundError, AmbiguousProjectError: see :func:`find_project`.
    """
    from kg.responsibilities import open_graph

    store = open_graph(source)
    features = load_features(store)
    found, aliases = find_project(features, name)
    chosen = {f.iri: f for f in [*found, *aliases]}
    entries = [_with_name(e, chosen[e.feature].name) for e in load_statements(store, chosen)]
    entries.sort(
        key=lambda e: (
            e.year if e.year is not None else 0,
            e.issued or "",
            e.source_file,
            e.start if e.start is not None else 0,
            e.name,
        )
    )
    main = found[0]
    names = sorted({label for f in chosen.values() for label in f.labels} - {main.name})
    return Timeline(name, main.name, main.type, tuple(names), tuple(chosen.values()), tuple(entries))


def _with_name(entry: TimelineEntry, name: str) -> TimelineEntry:
    from dataclasses import replace

    return replace(entry, name=name)


def _record(t: Timeline) -> dict[str, Any]:
    years: dict[str, Any] = {}
    for year, statuses in t.by_year().items():
        years[str(year)] = {
            "state": t.state(year),
            "statuses": {
                status: [
                    {
                        "document": e.source_file,
                        "issued": e.issued,
                        "name": e.name,
                        "reported": e.reported,
                        "hedged": e.hedged,
                        "evidence": e.evidence,
                        "cue": e.cue,
                        "span": [e.start, e.end],
                    }
                    for e in entries
                ]
                for status, entries in statuses.items()
            },
        }
    return {
        "project": t.name,
        "type": t.type,
        "query": t.query,
        "aliases": list(t.aliases),
        "features": [{"iri": f.iri, "name": f.name, "type": f.type} for f in t.features],
        "timeline": years,
    }


def format_timeline(timeline: Timeline, fmt: str = "table") -> str:
    """The timeline as a table (one line per statement, under a line per year) or as JSON.

    Raises:
        ValueError: an unknown format.
    """
    if fmt == "json":
        return json.dumps(_record(timeline), ensure_ascii=False, sort_keys=True, indent=2) + "\n"
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(TIMELINE_FORMATS)}")
    lines = [f"{timeline.name} ({timeline.type})"]
    if timeline.aliases:
        lines.append(f"  also named: {', '.join(timeline.aliases)}")
    if not timeline.entries:
        lines.append("  no document states its status")
    for year, statuses in timeline.by_year().items():
        lines.append(f"{year if year is not None else '(no year)'}: {timeline.state(year)}")
        for status, entries in statuses.items():
            for e in entries:
                kind = "reported" if e.reported else "planned" if not e.hedged else "intended"
                lines.append(f"  {status:<18} {kind:<9} {e.source_file:<28} {e.name} | {e.evidence}")
    return "\n".join(lines) + "\n"
