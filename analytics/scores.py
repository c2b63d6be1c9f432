"""Network scores that say why: each score is a weighted mean of named components.

Every component is a figure (shown as is) mapped to 0..1 (shown as `value`):

| component | figure | 0..1 |
|---|---|---|
| size | members (Person nodes) | log(1+n) / log(1+30), capped at 1 |
| density | links / possible pairs among members | as is |
| cohesion | mean weighted degree inside the network (how telling its links are) | / 4, capped |
| sharing | phones, accounts and wallets shared by 2+ members, per member | / 0.3, capped |
| countries | countries of members' phones and of places they were seen | (n-1) / 3, capped |
| money | dollars into and out of members' wallets from outside | log10(1+usd) / 6, capped |
| brokers | members among the run's top brokers | n / 2, capped |
| growth | members not in the matching network of the previous run | share of members |

The weights are `LINKGRAPH_ANALYTICS_SCORE_<COMPONENT>` (AnalyticsSettings).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np

from analytics.projection import PersonGraph
from analytics.roles import Roles
from analytics.settings import AnalyticsSettings

COMPONENTS = ("size", "density", "cohesion", "sharing", "countries", "money", "brokers", "growth")


@dataclass
class NetworkScore:
    """One network's score, its components (figure, value, weight) and key people."""

    community: int
    members: list[int]
    score: float = 0.0
    rank: int = 0
    components: dict[str, dict[str, float]] = field(default_factory=dict)
    key_people: list[int] = field(default_factory=list)
    money_in_usd: float = 0.0
    money_out_usd: float = 0.0
    countries: list[str] = field(default_factory=list)


def _weights(settings: AnalyticsSettings) -> dict[str, float]:
    return {name: float(getattr(settings, f"score_{name}")) for name in COMPONENTS}


def _money(
    person_graph: PersonGraph, membership: list[int]
) -> tuple[dict[int, float], dict[int, float]]:
    """Dollars into and out of each community's identifiers from outside it."""
    money_in: dict[int, float] = defaultdict(float)
    money_out: dict[int, float] = defaultdict(float)
    for link in person_graph.money_links:
        src = person_graph.identifiers.get(link.source)
        dst = person_graph.identifiers.get(link.target)
        senders = {membership[p] for p in src.persons} if src else set()
        receivers = {membership[p] for p in dst.persons} if dst else set()
        for c in receivers - senders:
            money_in[c] += link.usd
        for c in senders - receivers:
            money_out[c] += link.usd
    return money_in, money_out


def _growth(
    person_ids: list[str], groups: dict[int, list[int]], previous: list[set[str]] | None
) -> dict[int, float]:
    """Share of each community's members not in its best-matching previous network."""
    if not previous:
        return {}
    was_in = {pid: k for k, members in enumerate(previous) for pid in members}
    out = {}
    for c, members in groups.items():
        overlap = Counter(was_in[person_ids[p]] for p in members if person_ids[p] in was_in)
        best = max(overlap.values(), default=0)
        out[c] = (len(members) - best) / len(members)
    return out


def score_networks(
    person_graph: PersonGraph,
    membership: list[int],
    pagerank: list[float],
    top_brokers: list[int],
    previous: list[set[str]] | None,
    roles: Roles,
    settings: AnalyticsSettings,
) -> list[NetworkScore]:
    """Score every community of at least `min_network_size` people; ranked, best first."""
    groups: dict[int, list[int]] = defaultdict(list)
    for v, c in enumerate(membership):
        groups[c].append(v)
    groups = {c: m for c, m in groups.items() if len(m) >= settings.min_network_size}
    # Which identifiers each person holds.
    held: dict[int, list[str]] = defaultdict(list)
    for key, ident in person_graph.identifiers.items():
        for p in ident.persons:
            held[p].append(key)
    # Links and their weight inside each community, counted once for all.
    memb = np.asarray(membership, dtype=np.int64)
    ends = person_graph.edges
    ca = memb[ends[:, 0]] if len(ends) else np.zeros(0, dtype=np.int64)
    inside = ca == (memb[ends[:, 1]] if len(ends) else ca)
    links_in = np.bincount(ca[inside], minlength=len(memb) + 1)
    weight_in = np.bincount(
        ca[inside], weights=person_graph.weights[inside], minlength=len(memb) + 1
    )
    money_in, money_out = _money(person_graph, membership)
    growth_of = _growth(person_graph.person_ids, groups, previous)
    weights = _weights(settings)
    total_weight = sum(weights.values()) or 1.0
    brokers = set(top_brokers)
    scores = []
    for c, members in groups.items():
        member_set = set(members)
        keys = {k for p in members for k in held[p]}
        shared = [k for k in keys if len(person_graph.identifiers[k].persons & member_set) >= 2]
        countries = {
            person_graph.identifiers[k].country
            for k in keys
            if person_graph.identifiers[k].country
            and person_graph.identifiers[k].label not in roles.places
        }
        for p in members:
            countries |= person_graph.places_seen.get(p, set())
        n = len(members)
        growth = growth_of.get(c, 0.0)
        figures = {
            "size": float(n),
            "density": float(links_in[c]) / (n * (n - 1) / 2),
            "cohesion": 2 * float(weight_in[c]) / n,
            "sharing": len(shared) / n,
            "countries": float(len([x for x in countries if x])),
            "money": money_in[c] + money_out[c],
            "brokers": float(len(member_set & brokers)),
            "growth": growth,
        }
        values = {
            "size": min(1.0, math.log1p(n) / math.log1p(30)),
            "density": figures["density"],
            "cohesion": min(1.0, figures["cohesion"] / 4),
            "sharing": min(1.0, figures["sharing"] / 0.3),
            "countries": min(1.0, max(0.0, figures["countries"] - 1) / 3),
            "money": min(1.0, math.log10(1 + figures["money"]) / 6),
            "brokers": min(1.0, figures["brokers"] / 2),
            "growth": growth,
        }
        net = NetworkScore(c, sorted(members), money_in_usd=money_in[c], money_out_usd=money_out[c])
        net.countries = sorted(x for x in countries if x)
        net.components = {
            k: {"figure": round(figures[k], 4), "value": round(values[k], 4), "weight": weights[k]}
            for k in COMPONENTS
        }
        net.score = sum(values[k] * weights[k] for k in COMPONENTS) / total_weight
        ranked = sorted(members, key=lambda p: (-pagerank[p], p))
        net.key_people = ranked[:3] + [
            p for p in top_brokers if p in member_set and p not in ranked[:3]
        ]
        scores.append(net)
    scores.sort(key=lambda s: (-s.score, s.community))
    for rank, net in enumerate(scores, start=1):
        net.rank = rank
    return scores
