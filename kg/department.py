"""Graph store -> one department's responsibility map, and the task x agency (RACI-style) matrix.

An agency is found by its full name, an abbreviation (its skos:altLabel, or the standard one of
``kg/data/agency_names.tsv``: 区住建局 -> 区住房和城乡建设局), its name with the jurisdiction
written in front (北仑区住建局), or a part of its name that only it has (住房和城乡建设局). When
several agencies answer, :class:`AmbiguousAgencyError` lists them rather than picking one.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from kg.errors import KGError
from kg.responsibilities import (
    Agent,
    Responsibilities,
    Task,
    place_matches,
    read_responsibilities,
    scope_tasks,
)

__all__ = [
    "AgencyNotFoundError",
    "AmbiguousAgencyError",
    "Candidate",
    "TaskEntry",
    "Partner",
    "FeatureUse",
    "DepartmentReport",
    "Matrix",
    "find_agency",
    "department_report",
    "responsibility_matrix",
]

#: Feature types in the order a report lists them, with their Chinese names.
FEATURE_TYPES = {
    "Road": "道路",
    "RailLine": "轨道交通",
    "HousingProgramme": "住房保障",
    "Project": "项目",
    "Place": "地点",
}


class AgencyNotFoundError(KGError):
    """No agency answers to the name (in the jurisdiction given)."""

    def __init__(self, name: str, jurisdiction: str | None) -> None:
        self.name = name
        self.jurisdiction = jurisdiction
        where = f" in {jurisdiction!r}" if jurisdiction else ""
        super().__init__(
            f"no agency named {name!r}{where}; try its full name, a shorter part of it, "
            f"or 'kg centrality' to list the agencies"
        )


@dataclass(frozen=True)
class Candidate:
    """An agency that answers to a name: IRI, label and jurisdiction."""

    iri: str
    label: str
    jurisdiction: str


class AmbiguousAgencyError(KGError):
    """Several agencies answer to the name; ``candidates`` lists them."""

    def __init__(self, name: str, candidates: tuple[Candidate, ...]) -> None:
        self.name = name
        self.candidates = candidates
        listed = "; ".join(f"{c.label} ({c.jurisdiction or 'jurisdiction unknown'})" for c in candidates)
        super().__init__(f"{len(candidates)} agencies answer to {name!r}: {listed}; pass --jurisdiction")


@dataclass(frozen=True)
class TaskEntry:
    """A task as a department map shows it."""

    iri: str
    role: str  # lead or support
    task: str
    leads: tuple[str, ...]  # labels, as written in order
    supports: tuple[str, ...]
    document: str  # title, else file name
    document_file: str
    date: str
    quote: str
    span: tuple[int, int] | None
    features: tuple[tuple[str, str], ...]  # (type, label)


@dataclass(frozen=True)
class Partner:
    """An agency that shares tasks with the department: how many, and in which direction."""

    iri: str
    label: str
    jurisdiction: str
    collective: bool  # 各街道, 相关部门 …: a set of bodies, not one
    shared_tasks: int
    it_supports: int  # tasks the department leads and the partner supports
    it_leads: int  # tasks the partner leads and the department supports
    other: int  # tasks both support (or both lead)


@dataclass(frozen=True)
class FeatureUse:
    """A road, rail line, housing programme, project or place the department's tasks involve."""

    iri: str
    type: str
    label: str
    tasks: int


@dataclass(frozen=True)
class DepartmentReport:
    """One department's responsibility map."""

    iri: str
    name: str
    alt_labels: tuple[str, ...]
    kind: str
    jurisdiction: str
    led: tuple[TaskEntry, ...]
    supported: tuple[TaskEntry, ...]
    partners: tuple[Partner, ...]
    features: tuple[FeatureUse, ...]
    metrics: Any  # kg.analysis.AgencyMetrics, or None when the agency has no task
    metrics_scope: str
    warnings: tuple[str, ...]


def _names(agent: Agent) -> tuple[str, ...]:
    return (agent.label, *agent.alt_labels)


def _normal(name: str) -> str:
    return name.strip().replace("（", "(").replace("）", ")")


def _matches_exactly(query: str, agent: Agent, jurisdiction: str | None) -> bool:
    """Same name, or the same agency once abbreviations and the jurisdiction's own prefix are resolved."""
    from kg.resolve import agency_id

    names = [_normal(n) for n in _names(agent)]
    if query in names:
        return True
    # agency_id canonicalises (区住建局 -> 区住房和城乡建设局) and drops the jurisdiction's own
    # place name (北仑区住建局 in 宁波市北仑区 -> 区住房和城乡建设局): equal ids, same agency.
    return any(agency_id(query, jurisdiction) == agency_id(n, jurisdiction) for n in names)


def find_agency(resp: Responsibilities, name: str, *, jurisdiction: str | None = None) -> Agent:
    """The one agency that answers to ``name`` (in ``jurisdiction``, when given).

    Exact answers (full name, altLabel, standard abbreviation, name with the jurisdiction in
    front) win over partial ones (a part of the name, or of its standard expansion).

    Raises:
        AgencyNotFoundError: none answers.
        AmbiguousAgencyError: several answer.
    """
    from kg.resolve import canonical_agency_name

    query = _normal(name)
    if not query:
        raise AgencyNotFoundError(name, jurisdiction)
    agents = [
        a for a in resp.agents.values() if not jurisdiction or place_matches(resp, a.place, jurisdiction)
    ]
    found = [a for a in agents if _matches_exactly(query, a, _jurisdiction_string(resp, a))]
    if not found:
        parts = {query, canonical_agency_name(query)}
        found = [a for a in agents if any(p in _normal(n) for p in parts for n in _names(a))]
    if not found:
        raise AgencyNotFoundError(name, jurisdiction)
    if len(found) > 1:
        candidates = (Candidate(a.iri, a.label, resp.place_name(a.place)) for a in found)
        raise AmbiguousAgencyError(
            name, tuple(sorted(candidates, key=lambda c: (c.label, c.jurisdiction, c.iri)))
        )
    return found[0]


def _jurisdiction_string(resp: Responsibilities, agent: Agent) -> str | None:
    """The jurisdiction as extraction named it (宁波市北仑区), which agency ids are scoped by."""
    return resp.place_name(agent.place) or None


def department_report(
    source: Any, name: str, *, jurisdiction: str | None = None, resp: Responsibilities | None = None
) -> DepartmentReport:
    """Build the responsibility map of the agency that answers to ``name``.

    Its centrality figures are those of the network of its own jurisdiction (the places inside
    it included), as ``kg centrality --jurisdiction <its jurisdiction>`` gives them.

    Args:
        source: a graph folder (``kg build --out``), a pyoxigraph store or an rdflib Graph/Dataset.
        name: full name, abbreviation or unique part of the agency's name.
        jurisdiction: narrow the search to this place (substring of its name).
        resp: records already read from ``source`` (then ``source`` is not read again).

    Raises:
        GraphNotBuiltError: the folder holds no store.
        AgencyNotFoundError, AmbiguousAgencyError: see :func:`find_agency`.
    """
    resp = resp or read_responsibilities(source)
    agent = find_agency(resp, name, jurisdiction=jurisdiction)
    mine = [t for t in resp.tasks if agent.iri in t.leads or agent.iri in t.supports]
    led = tuple(_entry(resp, t, "lead") for t in mine if agent.iri in t.leads)
    supported = tuple(_entry(resp, t, "support") for t in mine if agent.iri not in t.leads)
    metrics, scope, warnings = _metrics(resp, agent, bool(mine))
    return DepartmentReport(
        iri=agent.iri,
        name=agent.label,
        alt_labels=agent.alt_labels,
        kind=agent.kind,
        jurisdiction=resp.place_name(agent.place),
        led=led,
        supported=supported,
        partners=_partners(resp, agent.iri, mine),
        features=_features(mine),
        metrics=metrics,
        metrics_scope=scope,
        warnings=warnings,
    )


def _entry(resp: Responsibilities, task: Task, role: str) -> TaskEntry:
    doc = resp.documents.get(task.document or "")
    file = (doc.file if doc else None) or (task.document or "")
    return TaskEntry(
        iri=task.iri,
        role=role,
        task=task.label,
        leads=tuple(resp.label_of(i) for i in task.leads),
        supports=tuple(resp.label_of(i) for i in task.supports),
        document=(doc.title if doc else None) or file,
        document_file=file,
        date=(doc.issued if doc else None) or "",
        quote=task.quote or task.label,
        span=task.span,
        features=tuple((f.type, f.label) for f in task.features),
    )


def _partners(resp: Responsibilities, me: str, tasks: list[Task]) -> tuple[Partner, ...]:
    shared: Counter[str] = Counter()
    it_supports: Counter[str] = Counter()
    it_leads: Counter[str] = Counter()
    for task in tasks:
        i_lead = me in task.leads
        for other in {*task.leads, *task.supports} - {me}:
            shared[other] += 1
            if i_lead and other in task.supports and other not in task.leads:
                it_supports[other] += 1
            elif not i_lead and other in task.leads:
                it_leads[other] += 1
    partners = [
        Partner(
            iri,
            resp.label_of(iri),
            resp.jurisdiction_of(iri),
            _is_collective(resp, iri),
            n,
            it_supports[iri],
            it_leads[iri],
            n - it_supports[iri] - it_leads[iri],
        )
        for iri, n in shared.items()
    ]
    return tuple(sorted(partners, key=lambda p: (-p.shared_tasks, p.label, p.iri)))


def _is_collective(resp: Responsibilities, iri: str) -> bool:
    agent = resp.agents.get(iri)
    return agent is not None and agent.collective


def _features(tasks: list[Task]) -> tuple[FeatureUse, ...]:
    counts: Counter[tuple[str, str, str]] = Counter()
    for task in tasks:
        for f in task.features:
            counts[(f.type, f.label, f.iri)] += 1
    order = {t: n for n, t in enumerate(FEATURE_TYPES)}
    uses = [FeatureUse(iri, type_, label, n) for (type_, label, iri), n in counts.items()]
    return tuple(sorted(uses, key=lambda u: (order.get(u.type, len(order)), -u.tasks, u.label, u.iri)))


def _metrics(resp: Responsibilities, agent: Agent, has_tasks: bool) -> tuple[Any, str, tuple[str, ...]]:
    if not has_tasks:
        return None, "", ()
    from kg.analysis import build_networks, compute_metrics

    scope = resp.place_name(agent.place)
    networks = build_networks(resp, jurisdiction=scope or None, collective=agent.collective)
    metrics = compute_metrics(networks)
    return metrics.get(agent.iri), scope, metrics.warnings


@dataclass(frozen=True)
class Matrix:
    """Tasks x agencies: ``cells[i][j]`` is L (leads), S (supports), L/S or '' for task i, agency j."""

    tasks: tuple[Task, ...]
    task_documents: tuple[str, ...]  # file name of each task's document
    agencies: tuple[tuple[str, str], ...]  # (iri, label), most tasks led first
    cells: tuple[tuple[str, ...], ...]


def responsibility_matrix(
    source: Any,
    *,
    jurisdiction: str,
    document: str | None = None,
    collective: bool = False,
    resp: Responsibilities | None = None,
) -> Matrix:
    """The RACI-style matrix of a jurisdiction's tasks: one row per task, one column per agency.

    Columns are ordered by tasks led, then tasks supported (most first), then name; rows by
    document and position in it. Collective units get a column only with ``collective``.

    Raises:
        GraphNotBuiltError: the folder holds no store.
        UnknownScopeError: the jurisdiction or document matches nothing.
    """
    resp = resp or read_responsibilities(source)
    tasks = scope_tasks(resp, jurisdiction=jurisdiction, document=document)

    def keep(iri: str) -> bool:
        agent = resp.agents.get(iri)
        return collective or agent is None or not agent.collective

    led: Counter[str] = Counter(i for t in tasks for i in set(t.leads) if keep(i))
    supported: Counter[str] = Counter(i for t in tasks for i in set(t.supports) - set(t.leads) if keep(i))
    columns = sorted(set(led) | set(supported), key=lambda i: (-led[i], -supported[i], resp.label_of(i), i))
    cells = tuple(
        tuple(
            "L/S"
            if c in t.leads and c in t.supports
            else "L"
            if c in t.leads
            else "S"
            if c in t.supports
            else ""
            for c in columns
        )
        for t in tasks
    )
    documents = tuple(
        (d.file if (d := resp.documents.get(t.document or "")) and d.file else t.document or "")
        for t in tasks
    )
    return Matrix(tasks, documents, tuple((c, resp.label_of(c)) for c in columns), cells)
