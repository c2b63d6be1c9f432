"""Following networks from one analysis run to the next by their members.

Community numbers mean nothing across runs, so networks are matched by the people
they share. A previous network P and a current network C are linked when they
share at least `min_shared` people and the shared people make up at least
`threshold` of the smaller of the two:

    overlap(P, C) = |P ∩ C| / min(|P|, |C|)   (the overlap coefficient)

The overlap coefficient rather than Jaccard: a cell of 5 that grows to 12 keeps
all 5 (overlap 1.0) although its Jaccard index is only 0.42, and growth is
exactly what a supervisor wants to see as "the same network, grown". Then each
current network is:

* **new** — linked to no previous network;
* **merged** — linked to two or more previous networks;
* **split** — its one previous network is linked to two or more current ones;
* **grew** / **shrank** / **changed** / **unchanged** — one previous network, one
  current: by size, and whether members joined or left.

A previous network linked to no current one has **dissolved**.
"""

from __future__ import annotations

from dataclasses import dataclass, field

NEW, MERGED, SPLIT = "new", "merged", "split"
GREW, SHRANK, CHANGED, UNCHANGED = "grew", "shrank", "changed", "unchanged"
DISSOLVED = "dissolved"


@dataclass(frozen=True)
class Members:
    """A network of one run: its id and its members' person ids."""

    id: str
    members: frozenset[str]


@dataclass
class Change:
    """What happened to one current network since the previous run."""

    network: str
    status: str
    previous: list[str] = field(default_factory=list)
    joined: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)
    size: int = 0
    previous_size: int = 0
    overlap: float = 0.0


@dataclass
class Matching:
    """Every current network's change, and the previous networks that dissolved."""

    changes: dict[str, Change]
    dissolved: list[str]


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """The overlap coefficient |a ∩ b| / min(|a|, |b|) (0 for an empty set)."""
    smaller = min(len(a), len(b))
    return len(a & b) / smaller if smaller else 0.0


def match_networks(
    previous: list[Members], current: list[Members], threshold: float = 0.5, min_shared: int = 2
) -> Matching:
    """Link current networks to previous ones by shared members and classify each."""
    links: dict[str, list[tuple[Members, float]]] = {c.id: [] for c in current}
    successors: dict[str, int] = {p.id: 0 for p in previous}
    # Person -> previous network, so only networks that share someone are compared.
    where: dict[str, list[Members]] = {}
    for p in previous:
        for person in p.members:
            where.setdefault(person, []).append(p)
    for c in current:
        candidates = {p.id: p for person in c.members for p in where.get(person, [])}
        for p in candidates.values():
            shared = len(p.members & c.members)
            score = overlap(p.members, c.members)
            if shared >= min_shared and score >= threshold:
                links[c.id].append((p, score))
                successors[p.id] += 1
    changes = {}
    for c in current:
        linked = sorted(links[c.id], key=lambda item: (-item[1], item[0].id))
        change = Change(network=c.id, status=NEW, size=len(c.members))
        if linked:
            before = frozenset().union(*(p.members for p, _ in linked))
            change.previous = [p.id for p, _ in linked]
            change.previous_size = len(before)
            change.joined = sorted(c.members - before)
            change.left = sorted(before - c.members)
            change.overlap = round(linked[0][1], 4)
            change.status = _status(c, linked, successors)
        changes[c.id] = change
    dissolved = sorted(p.id for p in previous if successors[p.id] == 0)
    return Matching(changes, dissolved)


def _status(c: Members, linked: list[tuple[Members, float]], successors: dict[str, int]) -> str:
    if len(linked) > 1:
        return MERGED
    before = linked[0][0]
    if successors[before.id] > 1:
        return SPLIT
    if len(c.members) > len(before.members):
        return GREW
    if len(c.members) < len(before.members):
        return SHRANK
    return UNCHANGED if c.members == before.members else CHANGED
