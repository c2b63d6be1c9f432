"""Community detection against the real labelled criminal-network sets, through the product.

    .venv/bin/python -m bench.validation.real_sets [--direct [--weighted]] [--set NAME ...]

Every real set in the shared data folder (`shared/data` beside the repository checkout,
or `LINKGRAPH_SHARED_DATA`) whose known truth is a grouping of its nodes is loaded into
its own Neo4j (home `.linkgraph/realsets-neo4j`, port 7712) as `Person` nodes joined by
one `ASSOCIATED_WITH` per tie, analysed by `run_analysis` exactly as `linkgraph analyze`
runs it (without write-back), and the communities found are compared with the truth:
NMI and ARI over the people whose group is known, modularity of the partition on the
unweighted graph, number of communities. `--direct` runs `analytics.communities.detect`
on the igraph graph instead (no Neo4j), for comparison; `--weighted` gives it the
sources' own tie weights, which the product's path cannot carry (below).

The sets and their truth:

- `karate`: Zachary's karate club, 34 members; the club each joined after the fission
  (Zachary 1977). Strong truth.
- `pira_p1`, `pira_p2`, `pira_p3`, `pira_p4_5`, `pira_p6`: Provisional IRA members by
  period; brigade (none recorded: unknown). Fair truth: a brigade holds many cells.
- `montagna_meetings`, `montagna_phone`: the Sicilian Mafia "Montagna" operation;
  familia, known for 40 of 155 people. Secondary truth, hand-coded from published figures.
- `italian_gangs`: Italian gang members; country of origin (coded, no codebook).
- `london_gang`: a London street gang's co-offending; birthplace (ethnic homophily).
- `montreal_gangs`: 35 Montreal street GANGS, not people; allegiance Bloods/Crips/Other.
- `rhodes_bombing`: November 17 (Greece) members; faction.
- `drugnet`: Hartford drug users' acquaintance, many isolated; ethnicity.

Weak truth (London gang, Montreal gangs and Rhodes bombing per shared/data/README, plus
the attribute-only Italian gangs and Drugnet): a method that "finds" it exactly is
suspect, and a low score there says little. Left out, having no grouping of people:
Noordin Top, CAVIAR, CielNet, the JJATT time series, 'Ndrangheta (2-mode, no groups),
Madoff and BAAD (organisations), Bitcoin OTC, the ROXANNE Israel police and burglary
sets (roles only), moreno_crime (roles, gender), the NIST call network (not criminal).

The graph model's `ASSOCIATED_WITH` has no weight property (one relationship per pair
and kind, `repeats: aggregate`): each tie is one association, which the projection
weighs `weight_association`. The sources' weights (London gang tie levels, Montagna
call and meeting counts) are kept on `LabelledSet.edges` for `--weighted` only.
"""

from __future__ import annotations

import argparse
import csv
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import igraph as ig
from neo4j import Driver

from analytics.communities import Detection, detect
from analytics.pipeline import run_analysis
from analytics.settings import AnalyticsSettings
from bench.validation.wipe import wipe
from core.db import open_driver
from core.settings import Settings
from graph_schema.apply import apply_schema
from graph_schema.loader import GraphModel, load_model
from linkgraph.neo4j_local import LocalNeo4j

ROOT = Path(__file__).resolve().parents[2]
SHARED_DATA_ENV = "LINKGRAPH_SHARED_DATA"
NEO4J_HOME = ROOT / ".linkgraph" / "realsets-neo4j"
NEO4J_PORT = 7712
BATCH = 5000

Edge = tuple[int, int, float]


def data_root() -> Path:
    """The shared data folder: `LINKGRAPH_SHARED_DATA`, else `shared/data` beside the checkout."""
    override = os.environ.get(SHARED_DATA_ENV)
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[3] / "shared" / "data"


@dataclass(frozen=True)
class LabelledSet:
    """A real network with a known grouping of its people.

    `edges` are (a, b, weight) between indexes of `people`, a < b, one per pair;
    `truth[i]` is the group of `people[i]`, None when unknown (left out of the scores).
    """

    name: str
    people: list[str]
    edges: list[Edge]
    truth: list[str | None]
    source: str
    # How the source names the tie (the ASSOCIATED_WITH `relation`).
    relation: str = "associate"
    # Whether the truth is weak (see the module docstring).
    weak: bool = False

    @property
    def groups(self) -> int:
        """Distinct known groups."""
        return len({t for t in self.truth if t is not None})

    @property
    def labelled(self) -> int:
        """People whose group is known."""
        return sum(t is not None for t in self.truth)


@dataclass(frozen=True)
class Score:
    """How one partition of one set compares with its truth."""

    name: str
    path: str  # "neo4j" (run_analysis) or "direct" (detect)
    people: int
    edges: int
    groups: int
    labelled: int
    communities: int
    modularity: float
    nmi: float
    ari: float
    weak: bool
    seconds: float


# --- loaders ---------------------------------------------------------------------------


def _pairs(raw: Sequence[tuple[int, int, float]]) -> list[Edge]:
    """One edge per unordered pair (weights of repeated or reversed rows added), no loops."""
    total: dict[tuple[int, int], float] = {}
    for a, b, w in raw:
        if a == b:
            continue
        key = (a, b) if a < b else (b, a)
        total[key] = total.get(key, 0.0) + w
    return [(a, b, w) for (a, b), w in sorted(total.items())]


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _ucinet(
    root: Path, tag: str, group: Callable[[dict[str, str]], str | None]
) -> tuple[list[str], list[Edge], list[str | None]]:
    """People, edges and truth of one `networkdata_csv/<tag>_*.csv` pair."""
    folder = root / "ucinet_covert_networks" / "networkdata_csv"
    nodes = _read_csv(folder / f"{tag}_nodes.csv")
    people = [n["id"] for n in nodes]
    index = {p: i for i, p in enumerate(people)}
    raw = [
        (index[e["source"]], index[e["target"]], float(e.get("weight") or 1))
        for e in _read_csv(folder / f"{tag}_edges.csv")
    ]
    return people, _pairs(raw), [group(n) for n in nodes]


def _coded(column: str, codes: dict[str, str] | None = None) -> Callable[[dict[str, str]], str]:
    """A node's group from a coded column; codes not listed (99, NA) are unknown."""

    def group(node: dict[str, str]) -> str:
        value = node[column].strip()
        if codes is None:
            return value if value not in ("", "NA", "99", "99999") else ""
        return codes.get(value, "")

    return group


def _known(group: Callable[[dict[str, str]], str]) -> Callable[[dict[str, str]], str | None]:
    return lambda node: group(node) or None


# Zachary WW (1977) An information flow model for conflict and fission in small groups.
# J. Anthropological Research 33(4):452-473: the club each of the 34 members joined
# after the club split (the same list as networkx's karate_club_graph "club" attribute).
# Vertex i here is igraph's Graph.Famous("Zachary") vertex i (Zachary's member i + 1).
ZACHARY_FACTIONS = (
    "Mr. Hi",  # 0: the instructor
    "Mr. Hi",
    "Mr. Hi",
    "Mr. Hi",
    "Mr. Hi",
    "Mr. Hi",
    "Mr. Hi",
    "Mr. Hi",
    "Mr. Hi",  # 8: joined the instructor though closer to the officer's faction
    "Officer",
    "Mr. Hi",  # 10
    "Mr. Hi",
    "Mr. Hi",
    "Mr. Hi",
    "Officer",
    "Officer",
    "Mr. Hi",
    "Mr. Hi",
    "Officer",
    "Mr. Hi",
    "Officer",  # 20
    "Mr. Hi",
    "Officer",
    "Officer",
    "Officer",
    "Officer",
    "Officer",
    "Officer",
    "Officer",
    "Officer",
    "Officer",  # 30
    "Officer",
    "Officer",
    "Officer",  # 33: the officer (club president)
)


def load_karate(root: Path) -> LabelledSet:
    """Zachary's karate club: 34 members, 78 ties, the two factions of the fission."""
    del root  # shipped with igraph
    graph = ig.Graph.Famous("Zachary")
    assert graph.vcount() == len(ZACHARY_FACTIONS)
    raw = [(int(a), int(b), 1.0) for a, b in graph.get_edgelist()]
    return LabelledSet(
        name="karate",
        people=[str(v) for v in range(graph.vcount())],
        edges=_pairs(raw),
        truth=list(ZACHARY_FACTIONS),
        source="igraph Graph.Famous('Zachary'); factions: Zachary 1977",
        relation="friendship",
    )


BRIGADES = ("antrim", "derry", "armagh", "down", "tyrone", "fermanagh")
# networkdata's covert_38_k and the period each covers (its graph names 60_PERIOD*_NET).
PIRA_PERIODS = {"1": "covert_38_1", "2": "covert_38_2", "3": "covert_38_3"}
PIRA_PERIODS |= {"4_5": "covert_38_4", "6": "covert_38_5"}


def _brigade(node: dict[str, str]) -> str | None:
    """The member's brigade (1 in its `<name>_brigade` column); None when none is recorded."""
    found = [b for b in BRIGADES if node.get(f"{b}_brigade") == "1"]
    return found[0] if found else None


def load_pira(root: Path, period: str) -> LabelledSet:
    """Provisional IRA members of one period (Gill et al. 2014); truth: brigade."""
    tag = PIRA_PERIODS[period]
    people, edges, truth = _ucinet(root, tag, _brigade)
    return LabelledSet(
        name=f"pira_p{period}",
        people=people,
        edges=edges,
        truth=truth,
        source=f"ucinet_covert_networks/networkdata_csv/{tag} (Gill et al. 2014), brigades",
        relation="pira_tie",
    )


def load_montagna(root: Path, layer: str) -> LabelledSet:
    """Montagna operation (Cavallaro et al. 2020), one layer: `meetings` or `phone`.

    Truth: familia, hand-coded for 40 of the 155 people (MacDonald, from Ficara et al.
    2019); "-77" and blanks are unknown. Weights: meetings or calls (both directions added).
    """
    folder = root / "montagna_sicilian_mafia"
    family = {
        r["node"]: r["familia"].strip() for r in _read_csv(folder / "montagna_attributes.csv")
    }
    rows = _read_csv(folder / f"montagna_{layer}.csv")
    people = sorted({r["source"] for r in rows} | {r["target"] for r in rows}, key=_natural)
    index = {p: i for i, p in enumerate(people)}
    raw = [(index[r["source"]], index[r["target"]], float(r["weight"])) for r in rows]
    truth = [family.get(p) or None for p in people]
    return LabelledSet(
        name=f"montagna_{layer}",
        people=people,
        edges=_pairs(raw),
        truth=[None if t == "-77" else t for t in truth],
        source=f"montagna_sicilian_mafia/montagna_{layer}.csv + montagna_attributes.csv familia",
        relation="meeting" if layer == "meetings" else "phone_call",
    )


def _natural(node: str) -> tuple[str, int]:
    """N2 before N10."""
    head = node.rstrip("0123456789")
    tail = node[len(head) :]
    return head, int(tail) if tail else -1


def load_montreal_gangs(root: Path) -> LabelledSet:
    """Montreal street gangs (Descormiers & Morselli 2011): 35 GANGS; truth: allegiance.

    The nodes are gangs, not people; weak truth (shared/data/README).
    """
    codes = {"1": "Bloods", "2": "Crips", "3": "Other"}
    people, edges, truth = _ucinet(root, "covert_32", _known(_coded("Allegiances", codes)))
    return LabelledSet(
        name="montreal_gangs",
        people=people,
        edges=edges,
        truth=truth,
        source="ucinet_covert_networks/networkdata_csv/covert_32 (Descormiers & Morselli 2011)",
        relation="gang_relation",
        weak=True,
    )


def load_rhodes_bombing(root: Path) -> LabelledSet:
    """November 17 members (Rhodes & Jones 2009); truth: faction, known for 13 of 22. Weak truth."""
    codes = {"1": "1st Generation Leadership", "2": "Koufontinas", "3": "Sardanopoulos"}
    people, edges, truth = _ucinet(root, "covert_39", _known(_coded("Faction", codes)))
    return LabelledSet(
        name="rhodes_bombing",
        people=people,
        edges=edges,
        truth=truth,
        source="ucinet_covert_networks/networkdata_csv/covert_39 (Rhodes & Keefe 2007)",
        relation="past_connection",
        weak=True,
    )


def load_italian_gangs(root: Path) -> LabelledSet:
    """Italian gang members, ties co-membership of gangs; truth: country of origin (coded)."""
    people, edges, truth = _ucinet(root, "covert_24", _known(_coded("country")))
    return LabelledSet(
        name="italian_gangs",
        people=people,
        edges=edges,
        truth=truth,
        source="ucinet_covert_networks/networkdata_csv/covert_24, country (no codebook)",
        relation="co_member",
        weak=True,
    )


def load_london_gang(root: Path) -> LabelledSet:
    """London street gang co-offending (Grund & Densley 2012, 2015); truth: birthplace.

    Tie levels 1-4 (hang out ... co-offend, serious crime, kin) are the weights.
    """
    codes = {"1": "West Africa", "2": "Caribbean", "3": "UK", "4": "East Africa"}
    people, edges, truth = _ucinet(root, "covert_28", _known(_coded("Birthplace", codes)))
    return LabelledSet(
        name="london_gang",
        people=people,
        edges=edges,
        truth=truth,
        source="ucinet_covert_networks/networkdata_csv/covert_28 (Grund & Densley), birthplace",
        relation="co_offender",
        weak=True,
    )


def load_drugnet(root: Path) -> LabelledSet:
    """Hartford drug users' acquaintance (Weeks et al. 2002); truth: ethnicity (codebook)."""
    codes = {"2": "African American", "3": "Puerto Rican/Latino"}
    codes |= dict.fromkeys(("1", "5", "6", "7"), "white or other")
    people, edges, truth = _ucinet(root, "covert_17", _known(_coded("Ethnicity", codes)))
    return LabelledSet(
        name="drugnet",
        people=people,
        edges=edges,
        truth=truth,
        source="ucinet_covert_networks/networkdata_csv/covert_17 (Weeks et al. 2002), ethnicity",
        relation="acquaintance",
        weak=True,
    )


LOADERS: dict[str, Callable[[Path], LabelledSet]] = {
    "karate": load_karate,
    **{f"pira_p{p}": partial(load_pira, period=p) for p in PIRA_PERIODS},
    "montagna_meetings": partial(load_montagna, layer="meetings"),
    "montagna_phone": partial(load_montagna, layer="phone"),
    "italian_gangs": load_italian_gangs,
    "london_gang": load_london_gang,
    "montreal_gangs": load_montreal_gangs,
    "rhodes_bombing": load_rhodes_bombing,
    "drugnet": load_drugnet,
}


def load_sets(names: Sequence[str] | None = None, root: Path | None = None) -> list[LabelledSet]:
    """The labelled sets (all, or those named), read from `root` (default `data_root()`)."""
    folder = root or data_root()
    unknown = sorted(set(names or ()) - set(LOADERS))
    if unknown:
        raise ValueError(f"unknown sets {unknown}; known: {list(LOADERS)}")
    return [load(folder) for name, load in LOADERS.items() if not names or name in names]


# --- Neo4j -----------------------------------------------------------------------------

CREATE_PEOPLE = "UNWIND $rows AS r CREATE (:Person {id: r.id, ref: r.id})"
CREATE_TIES = (
    "UNWIND $rows AS r MATCH (a:Person {id: r.a}), (b:Person {id: r.b}) "
    "CREATE (a)-[:ASSOCIATED_WITH {relation: $relation}]->(b)"
)


def person_id(labelled: LabelledSet, person: str) -> str:
    """The Person id (and ref) of a set's person, `dataset:local id` as ingest makes it."""
    return f"{labelled.name}:{person}"


def _batches(rows: list[dict[str, str]]) -> Iterator[list[dict[str, str]]]:
    for at in range(0, len(rows), BATCH):
        yield rows[at : at + BATCH]


def load_into_neo4j(driver: Driver, database: str, labelled: LabelledSet) -> None:
    """Replace the database's data with the set: Person nodes, one ASSOCIATED_WITH per tie."""
    wipe(driver, database)
    apply_schema(driver, load_model(), database)
    ids = [person_id(labelled, p) for p in labelled.people]
    for rows in _batches([{"id": i} for i in ids]):
        driver.execute_query(CREATE_PEOPLE, rows=rows, database_=database)
    ties = [{"a": ids[a], "b": ids[b]} for a, b, _ in labelled.edges]
    for rows in _batches(ties):
        driver.execute_query(CREATE_TIES, rows=rows, relation=labelled.relation, database_=database)


# --- scores ----------------------------------------------------------------------------


def graph_of(labelled: LabelledSet, weights: Sequence[float] | None = None) -> ig.Graph:
    """The set's igraph graph (vertex i is `people[i]`), with `weights` when given."""
    graph = ig.Graph(n=len(labelled.people), edges=[(a, b) for a, b, _ in labelled.edges])
    if weights is not None:
        graph.es["weight"] = list(weights)
    return graph


def score(labelled: LabelledSet, membership: list[int], path: str, seconds: float) -> Score:
    """Compare a partition of the set's people (in `people` order) with its truth."""
    known = [i for i, t in enumerate(labelled.truth) if t is not None]
    numbers = {t: n for n, t in enumerate(sorted({labelled.truth[i] or "" for i in known}))}
    truth = [numbers[labelled.truth[i] or ""] for i in known]
    found = [membership[i] for i in known]
    return Score(
        name=labelled.name,
        path=path,
        people=len(labelled.people),
        edges=len(labelled.edges),
        groups=labelled.groups,
        labelled=len(known),
        communities=len(set(membership)),
        modularity=float(graph_of(labelled).modularity(membership)),
        nmi=float(ig.compare_communities(truth, found, method="nmi")),
        ari=float(ig.compare_communities(truth, found, method="adjusted_rand")),
        weak=labelled.weak,
        seconds=seconds,
    )


def evaluate(
    driver: Driver,
    model: GraphModel,
    database: str,
    settings: AnalyticsSettings,
    sets: Sequence[LabelledSet] | None = None,
) -> list[Score]:
    """Load each set into `database` and score what `run_analysis` finds (no write-back).

    The database's data is replaced set after set.
    """
    scores = []
    for labelled in sets if sets is not None else load_sets():
        load_into_neo4j(driver, database, labelled)
        began = time.monotonic()
        summary = run_analysis(driver, model, database, settings, write=False)
        seconds = time.monotonic() - began
        community = dict(zip(summary.person_ids, summary.membership, strict=True))
        membership = [community[person_id(labelled, p)] for p in labelled.people]
        scores.append(score(labelled, membership, "neo4j", seconds))
    return scores


def evaluate_direct(
    settings: AnalyticsSettings,
    sets: Sequence[LabelledSet] | None = None,
    weighted: bool = False,
) -> list[Score]:
    """Score `analytics.communities.detect` on each set's igraph graph (no Neo4j).

    Each tie weighs `weight_association`, as the product's projection weighs it, unless
    `weighted` (the source's own weights). Vertices are in the set's order (the product
    numbers people by sorted id). Always the python detection, whatever `settings.engine`.
    """
    detection = Detection(
        settings.algorithm,
        settings.objective,
        settings.resolution,
        settings.seed,
        settings.max_community_size,
        settings.time_budget_s,
    )
    scores = []
    for labelled in sets if sets is not None else load_sets():
        weights = [w if weighted else settings.weight_association for _, _, w in labelled.edges]
        began = time.monotonic()
        membership = detect(graph_of(labelled, weights), detection)
        scores.append(score(labelled, membership, "direct", time.monotonic() - began))
    return scores


def table(scores: Sequence[Score]) -> str:
    """The scores as a fixed-width table."""
    head = (
        f"{'set':18} {'people':>6} {'edges':>6} {'groups':>6} {'known':>5} {'comms':>5} "
        f"{'modularity':>10} {'NMI':>6} {'ARI':>6} {'truth':>6} {'s':>6}"
    )
    lines = [head, "-" * len(head)]
    for s in scores:
        lines.append(
            f"{s.name:18} {s.people:6d} {s.edges:6d} {s.groups:6d} {s.labelled:5d} "
            f"{s.communities:5d} {s.modularity:10.4f} {s.nmi:6.3f} {s.ari:6.3f} "
            f"{'weak' if s.weak else '':>6} {s.seconds:6.2f}"
        )
    return "\n".join(lines)


def main() -> None:
    """Parse arguments, run the sets through the product (own Neo4j) or directly, print."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--direct", action="store_true", help="detect() on igraph, no Neo4j")
    parser.add_argument("--weighted", action="store_true", help="with --direct: source weights")
    parser.add_argument("--set", action="append", choices=list(LOADERS), dest="sets")
    args = parser.parse_args()
    began = time.monotonic()
    analytics = AnalyticsSettings()
    sets = load_sets(args.sets)
    print(f"data: {data_root()}; analytics: {analytics.algorithm}, seed {analytics.seed}")
    if args.direct:
        scores = evaluate_direct(analytics, sets, weighted=args.weighted)
        path = "direct detect()" + (", source weights" if args.weighted else "")
    else:
        settings = Settings(
            neo4j_uri=None,
            neo4j_password=None,
            neo4j_home=NEO4J_HOME,
            neo4j_port=NEO4J_PORT,
        )
        server = LocalNeo4j(settings)
        print(server.start().describe())
        try:
            driver = open_driver(settings)
            try:
                scores = evaluate(driver, load_model(), settings.neo4j_database, analytics, sets)
            finally:
                driver.close()
        finally:
            server.stop()
        path = f"run_analysis through Neo4j (engine {analytics.engine})"
    print(f"\n{path}; NMI, ARI over people with a known group; s: detection or run seconds")
    print(table(scores))
    print(f"\nwall time: {time.monotonic() - began:.1f} s")


if __name__ == "__main__":
    main()
