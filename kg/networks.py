"""Responsibility records -> the agency networks (networkx) the measures of :mod:`kg.analysis` use.

Three networks are built from the tasks in scope:

* the **lead -> support** network (directed): an edge from each lead unit of a task to each of
  its support units, weighted by the number of tasks they share that way;
* the **co-assignment** network (undirected): an edge between any two units named on the same
  task, whatever their roles, weighted by the number of tasks they share (and a ``distance`` of
  1 / weight);
* the **bipartite** agency–task graph: agencies on one side, tasks on the other, an edge per
  assignment carrying its role.

Collective units (各街道, 相关部门, …成员单位) are not one body and are left out unless asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, NamedTuple, Protocol

from kg.responsibilities import Responsibilities, Task, scope_tasks

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["Assigned", "TaskUnits", "Networks", "build_networks", "unit_networks"]


class Assigned(Protocol):
    """What the measures read of a task: its lead and support units (a ``Task`` is one)."""

    @property
    def leads(self) -> Sequence[str]: ...

    @property
    def supports(self) -> Sequence[str]: ...


class TaskUnits(NamedTuple):
    """A task known only by its units (what a build keeps of each task for the measures)."""

    leads: Sequence[str]
    supports: Sequence[str]


@dataclass(frozen=True)
class Networks:
    """The networks of one scope, and the tasks they were built from.

    ``bipartite`` is None when the networks were built from the tasks' units alone
    (:func:`unit_networks`), as a build computes its measures.
    """

    lead_support: nx.DiGraph
    coassignment: nx.Graph
    bipartite: nx.Graph | None
    tasks: tuple[Assigned, ...]


def build_networks(
    resp: Responsibilities,
    *,
    jurisdiction: str | None = None,
    document: str | None = None,
    collective: bool = False,
) -> Networks:
    """Build the lead -> support, co-assignment and bipartite networks of the tasks in scope.

    Args:
        resp: the graph's records (:func:`kg.responsibilities.read_responsibilities`).
        jurisdiction: keep the tasks of this place (substring of its name, places inside it too).
        document: keep the tasks of this document (file name, stem or IRI).
        collective: keep collective units (各街道 …) as nodes.

    Raises:
        UnknownScopeError: the jurisdiction or document matches nothing.
    """
    import networkx as nx

    tasks = scope_tasks(resp, jurisdiction=jurisdiction, document=document)
    networks = unit_networks(resp, tasks, collective=collective)
    bipartite = nx.Graph()
    for iri, attrs in networks.coassignment.nodes(data=True):
        bipartite.add_node(iri, bipartite=0, type="agency", **attrs)
    for task in tasks:
        leads = [u for u in task.leads if u in bipartite]
        supports = [u for u in task.supports if u in bipartite and u not in leads]
        _add_task(bipartite, task, leads, supports, resp.place_name(task.place))
    return replace(networks, bipartite=bipartite)


def unit_networks(resp: Responsibilities, tasks: Sequence[Assigned], *, collective: bool = False) -> Networks:
    """The lead -> support and co-assignment networks of ``tasks`` (no bipartite graph).

    The graphs do not depend on the order of the tasks: nodes are added by IRI and edges by
    their pair of IRIs, which fixes each node's neighbours in that order (Louvain visits them
    so): the same tasks in any order, the same graph, the same groups.

    Args:
        resp: the agents (labels, kinds, jurisdictions) and places; its tasks are not read.
        tasks: the tasks to count, each with its lead and support units.
        collective: keep collective units (各街道 …) as nodes.
    """
    import networkx as nx

    def keep(iri: str) -> bool:
        agent = resp.agents.get(iri)
        return collective or agent is None or not agent.collective

    directed, undirected = nx.DiGraph(), nx.Graph()
    lead_support: dict[tuple[str, str], int] = {}
    shared: dict[tuple[str, str], int] = {}
    nodes: set[str] = set()
    for task in tasks:
        leads = [u for u in dict.fromkeys(task.leads) if keep(u)]
        supports = [u for u in dict.fromkeys(task.supports) if keep(u) and u not in leads]
        nodes.update(leads, supports)
        _count_pairs(lead_support, shared, leads, supports)
    for iri in sorted(nodes):
        agent = resp.agents.get(iri)
        attrs = {
            "label": resp.label_of(iri),
            "kind": agent.kind if agent else "agency",
            "jurisdiction": resp.jurisdiction_of(iri),
        }
        directed.add_node(iri, **attrs)
        undirected.add_node(iri, **attrs)
    directed.add_edges_from((u, v, {"weight": w}) for (u, v), w in sorted(lead_support.items()))
    undirected.add_edges_from((u, v, {"weight": w, "distance": 1 / w}) for (u, v), w in sorted(shared.items()))
    return Networks(directed, undirected, None, tuple(tasks))


def _add_task(bipartite: nx.Graph, task: Task, leads: list[str], supports: list[str], place: str) -> None:
    """Add one task to the bipartite graph: its node and its role edges."""
    bipartite.add_node(task.iri, bipartite=1, type="task", label=task.label, jurisdiction=place)
    for role, units in (("lead", leads), ("support", supports)):
        bipartite.add_edges_from(((unit, task.iri) for unit in units), role=role)


def _count_pairs(
    lead_support: dict[tuple[str, str], int],
    shared: dict[tuple[str, str], int],
    leads: list[str],
    supports: list[str],
) -> None:
    """Count one task in the lead -> support pairs and in the (sorted) pairs of its units."""
    for lead in leads:
        for support in supports:
            lead_support[lead, support] = lead_support.get((lead, support), 0) + 1
    members = sorted({*leads, *supports})
    for i, u in enumerate(members):
        for v in members[i + 1 :]:
            shared[u, v] = shared.get((u, v), 0) + 1
