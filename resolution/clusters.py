"""From scored pairs and judgements to identities, never across a "not same".

Links are applied strongest first: analysts' "same" judgements, then automatic merges
by falling probability. A link that would put two records judged "not same" into one
identity is not applied (the whole chain through it is refused, not just the pair), so
no score and no transitive chain overrides a "not same".
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class Verdict(StrEnum):
    """What an analyst can say of a pair."""

    SAME = "same"
    DIFFERENT = "different"
    UNSURE = "unsure"


@dataclass(frozen=True, slots=True)
class Link:
    """A reason two records are one: an automatic score or a "same" judgement."""

    a: str
    b: str
    how: str  # "score" or "judgement"
    probability: float | None = None
    judgement: str | None = None

    def as_json(self) -> dict[str, object]:
        """The stored form (the identity's `links`)."""
        out: dict[str, object] = {"a": self.a, "b": self.b, "how": self.how}
        if self.probability is not None:
            out["probability"] = round(self.probability, 6)
        if self.judgement is not None:
            out["judgement"] = self.judgement
        return out


@dataclass(frozen=True, slots=True)
class InForce:
    """The judgement in force on a pair (the latest not undone)."""

    a: str
    b: str
    verdict: Verdict
    judgement_id: str


@dataclass
class Identity:
    """Two or more records that are one human, and the links that join them."""

    id: str
    members: list[str]
    links: list[Link] = field(default_factory=list)

    @property
    def automatic(self) -> bool:
        """True when a link is an automatic merge."""
        return any(link.how == "score" for link in self.links)


@dataclass
class Clustering:
    """The identities, and the links a "not same" judgement held back."""

    identities: list[Identity]
    refused: list[Link]


def identity_id(members: Iterable[str]) -> str:
    """A stable id: the same members (their smallest id) give the same identity id."""
    digest = hashlib.sha256(min(members).encode("utf-8")).hexdigest()
    return f"identity:{digest[:20]}"


def cluster(
    automatic: Sequence[tuple[str, str, float]],
    judgements: Sequence[InForce],
) -> Clustering:
    """Identities from automatic pairs (a, b, probability) and the judgements in force.

    A pair with a judgement in force is merged only if the judgement is "same"; an
    automatic score never applies to a pair judged "different" or "unsure".
    """
    judged = {(j.a, j.b) for j in judgements}
    links = [
        Link(j.a, j.b, "judgement", judgement=j.judgement_id)
        for j in judgements
        if j.verdict is Verdict.SAME
    ]
    ranked = sorted(
        ((a, b, p) for a, b, p in automatic if (min(a, b), max(a, b)) not in judged),
        key=lambda x: (-x[2], x[0], x[1]),
    )
    links += [Link(a, b, "score", probability=p) for a, b, p in ranked]
    apart: dict[str, set[str]] = {}
    for j in judgements:
        if j.verdict is Verdict.DIFFERENT:
            apart.setdefault(j.a, set()).add(j.b)
            apart.setdefault(j.b, set()).add(j.a)
    return _join(links, apart)


def _join(links: Sequence[Link], apart: dict[str, set[str]]) -> Clustering:
    root: dict[str, str] = {}
    members: dict[str, list[str]] = {}
    # Per component: the records its members were judged "not same" as.
    barred: dict[str, set[str]] = {}
    used: dict[str, list[Link]] = {}
    refused: list[Link] = []

    def find(x: str) -> str:
        if x not in root:
            root[x] = x
            members[x] = [x]
            barred[x] = set(apart.get(x, ()))
            used[x] = []
            return x
        top = x
        while root[top] != top:
            top = root[top]
        while root[x] != top:  # path compression
            root[x], x = top, root[x]
        return top

    for link in links:
        ra, rb = find(link.a), find(link.b)
        if ra == rb:
            continue
        if len(members[ra]) < len(members[rb]):
            ra, rb = rb, ra
        if barred[ra].intersection(members[rb]) or barred[rb].intersection(members[ra]):
            refused.append(link)
            continue
        root[rb] = ra
        members[ra] += members.pop(rb)
        barred[ra] |= barred.pop(rb)
        used[ra] += [*used.pop(rb), link]
    identities = [
        Identity(identity_id(group), sorted(group), used[top])
        for top, group in members.items()
        if len(group) > 1
    ]
    identities.sort(key=lambda x: x.id)
    return Clustering(identities, refused)
