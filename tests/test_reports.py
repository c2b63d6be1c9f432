"""Reports on the real Neo4j: two ingests and two analysis runs in which one network is
new, one grows and one watched phone appears; the report says exactly that."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from neo4j import Driver

from analytics.pipeline import run_analysis
from analytics.settings import AnalyticsSettings
from core.settings import Settings
from graph_schema.apply import apply_schema
from graph_schema.loader import GraphModel, load_model
from ingest.loader import Loader
from linkgraph.cli import main
from reports.content import SCHEMA_VERSION, ReportData
from reports.run import ReportResult, run_report
from reports.settings import ReportSettings
from reports.store import ReportNotFoundError, list_reports, report_file
from reports.window import ReportError
from watchlist.entries import add_entry

pytestmark = pytest.mark.neo4j

MAPPING = """\
dataset: tips
source: {format: csv, path: first.csv}
record_id: rec
defaults: {region: PH}
entities:
  person: {label: Person, key: {ref: pid}, properties: {name: name}}
  phone: {label: Phone, key: {number: phone}}
relationships:
  - {type: USES, from: person, to: phone}
"""

# Network A (4 people in a ring of shared phones) and network B (3 people).
FIRST = """\
rec,pid,name,phone
r1,a1,Alma Cruz,0917 100 0001
r2,a2,Ben Dela,0917 100 0001
r3,a2,Ben Dela,0917 100 0002
r4,a3,Carla Reyes,0917 100 0002
r5,a3,Carla Reyes,0917 100 0003
r6,a4,Dario Lim,0917 100 0003
r7,a4,Dario Lim,0917 100 0004
r8,a1,Alma Cruz,0917 100 0004
r9,b1,Edu Santos,0917 200 0005
r10,b2,Fe Ramos,0917 200 0005
r11,b2,Fe Ramos,0917 200 0006
r12,b3,Gino Tan,0917 200 0006
r13,b3,Gino Tan,0917 200 0007
r14,b1,Edu Santos,0917 200 0007
"""

# B grows by two people; a new network C appears, two of whom use the watched phone.
SECOND = """\
rec,pid,name,phone
r101,b4,Hana Uy,0917 200 0005
r102,b5,Ivo Go,0917 200 0006
r103,b5,Ivo Go,0917 200 0005
r104,c1,Jun Sy,0917 300 0008
r105,c2,Kai Ong,0917 300 0008
r106,c2,Kai Ong,0917 300 0009
r107,c3,Lia Chua,0917 300 0009
r108,c1,Jun Sy,0917 555 0101
r109,c3,Lia Chua,0917 555 0101
r110,c9,Bad Number,12345
"""

WATCHED = "+639175550101"


@dataclass
class Scenario:
    """The scenario's graph, its two analysis runs and its report."""

    driver: Driver
    model: GraphModel
    database: str
    folder: Path
    first_run: str
    second_run: str
    result: ReportResult

    @property
    def data(self) -> ReportData:
        """The report's content."""
        return self.result.data


def network_of(data: ReportData, person: str) -> str:
    """The id of the network of the current run holding `person`."""
    return next(n.id for n in data.networks if person in n.members)


def build_scenario(driver: Driver, settings: Settings, folder: Path) -> Scenario:
    """Wipe the graph, then: ingest 1, analysis 1, ingest 2, analysis 2, report."""
    from tests.conftest import wipe

    database = settings.neo4j_database
    wipe(driver, database)
    model = load_model()
    apply_schema(driver, model, database)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "tips.yaml").write_text(MAPPING, encoding="utf-8")
    (folder / "first.csv").write_text(FIRST, encoding="utf-8")
    (folder / "second.csv").write_text(SECOND, encoding="utf-8")
    loader = Loader.from_settings(driver, model, settings)
    # A phone watched from the start that appears only in the first load: never a hit.
    add_entry(driver, model, database, "phone", "0917 100 0001", "old tip", region="PH")
    # The watched phone, written as an analyst would type it.
    add_entry(driver, model, database, "phone", "0917 555 0101", "tip-off 17", region="PH")
    loader.load(folder / "tips.yaml", rejects_dir=folder / "rejects")
    first = run_analysis(driver, model, database, AnalyticsSettings())
    loader.load(folder / "tips.yaml", folder / "second.csv", rejects_dir=folder / "rejects")
    second = run_analysis(driver, model, database, AnalyticsSettings())
    result = run_report(driver, model, database, folder / "reports", ReportSettings())
    return Scenario(driver, model, database, folder, first.run.run_id, second.run.run_id, result)


@pytest.fixture(scope="module")
def scenario(
    driver: Driver, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Scenario:
    """The scenario, built once for this module."""
    return build_scenario(driver, settings, tmp_path_factory.mktemp("scenario"))


def test_report_says_one_new_network_one_grown_and_the_watched_phone(
    scenario: Scenario,
) -> None:
    data = scenario.data
    assert data.analysis_run.run_id == scenario.second_run
    assert data.baseline_run is not None
    assert data.baseline_run.run_id == scenario.first_run
    a, b, c = (network_of(data, p) for p in ("tips:a1", "tips:b1", "tips:c1"))
    assert len(data.networks) == 3
    assert data.changes.new == [c]
    assert data.changes.grew == [b]
    assert data.changes.unchanged == [a]
    for other in ("merged", "split", "shrank", "changed", "dissolved"):
        assert getattr(data.changes, other) == []
    grown = data.network(b)
    assert grown.previous_size == 3
    assert grown.size == 5
    assert sorted(p.id for p in grown.joined) == ["tips:b4", "tips:b5"]
    assert {p.name for p in grown.joined} == {"Hana Uy", "Ivo Go"}
    assert data.network(c).previous == []
    # Exactly the watched phone, in two new records and in the new network.
    hits = sorted((h.kind, h.node_id) for h in data.watchlist.hits)
    assert hits == [("network", WATCHED), ("record", WATCHED)]
    record = next(h for h in data.watchlist.hits if h.kind == "record")
    assert record.records == 2
    assert record.datasets == ["tips"]
    assert record.reason == "tip-off 17"
    network = next(h for h in data.watchlist.hits if h.kind == "network")
    assert network.network_id == c
    assert network.network_status == "new"
    assert sorted(p.id for p in network.people) == ["tips:c1", "tips:c3"]
    assert data.watchlist.entries == 2
    # Data quality covers the second load only (the period starts at the first analysis).
    assert [r.records_loaded for r in data.data_quality.ingest_runs] == [9]
    assert [r.records_rejected for r in data.data_quality.ingest_runs] == [1]
    ((reason, count),) = data.data_quality.ingest_runs[0].reject_reasons.items()
    assert count == 1
    assert reason.startswith("phone: cannot normalise phone '12345'")
    s = data.summary
    assert (s.networks, s.new_networks, s.grown_networks, s.watch_hits) == (3, 1, 1, 2)


def test_report_json_has_the_documented_versioned_shape(scenario: Scenario) -> None:
    raw = json.loads((scenario.result.folder / "report.json").read_text())
    assert raw["schema_version"] == SCHEMA_VERSION
    assert ReportData.model_validate(raw) == scenario.data
    assert raw["changes"]["new"] == scenario.data.changes.new
    assert {h["kind"] for h in raw["watchlist"]["hits"]} == {"record", "network"}
    # Every top-level field is documented in docs/reports.md.
    docs = (Path(__file__).parent.parent / "docs" / "reports.md").read_text()
    for name in ReportData.model_fields:
        assert f"`{name}`" in docs, name


def test_report_html_and_markdown_say_it(scenario: Scenario) -> None:
    data = scenario.data
    html = (scenario.result.folder / "report.html").read_text()
    new = data.network(data.changes.new[0])
    grew = data.network(data.changes.grew[0])
    assert f"New: network #{new.rank} (3 people)" in html
    assert f"Grew: network #{grew.rank} (5 people), from 3 (+2 joined)." in html
    assert f"Watched phone {WATCHED} appears in 2 new records (tips)." in html
    assert f"Watched phone {WATCHED} is in new network #{new.rank}" in html
    assert "Hana Uy" in html
    # Summary first, then the rest; no resource outside the page.
    assert html.index('id="summary"') < html.index('id="charts"') < html.index('id="methods"')
    assert "http://" not in html
    assert "https://" not in html
    assert html.count("data:image/png;base64,") == 3 + len(data.top_networks)
    md = (scenario.result.folder / "summary.md").read_text()
    assert f"New: network #{new.rank} (3 people)" in md
    assert WATCHED in md


def test_next_report_starts_where_the_last_one_ended(scenario: Scenario) -> None:
    again = run_report(
        scenario.driver, scenario.model, scenario.database, scenario.folder / "reports"
    )
    assert again.data.since == scenario.data.created_at
    # Nothing was loaded since: no record hits; the comparison is still with run 1.
    assert [h.kind for h in again.data.watchlist.hits] == ["network"]
    assert again.data.data_quality.ingest_runs == []
    listed = list_reports(scenario.folder / "reports")
    assert [r.report_id for r in listed[:2]] == [again.data.report_id, scenario.data.report_id]
    assert listed[0].files["report.html"] > 0
    # --since the first run gives the same comparison as the default.
    since = run_report(
        scenario.driver,
        scenario.model,
        scenario.database,
        scenario.folder / "reports",
        since=scenario.first_run,
    )
    assert since.data.changes == scenario.data.changes
    # --since a date before everything: no run to compare with, both loads in the period.
    dated = run_report(
        scenario.driver,
        scenario.model,
        scenario.database,
        scenario.folder / "reports",
        since="2000-01-31",
    )
    assert dated.data.baseline_run is None
    assert dated.data.since is not None
    assert dated.data.since.isoformat() == "2000-01-31T00:00:00+00:00"
    assert len(dated.data.changes.new) == 3
    assert dated.data.data_quality.records_loaded == 14 + 9
    with pytest.raises(ReportError, match="neither an analysis run id nor an ISO date"):
        run_report(
            scenario.driver, scenario.model, scenario.database, scenario.folder, since="soon"
        )


def test_report_files_are_served_only_from_inside_the_reports_folder(
    scenario: Scenario,
) -> None:
    reports = scenario.folder / "reports"
    rid = scenario.data.report_id
    assert report_file(reports, rid, "report.html") == (reports / rid / "report.html").resolve()
    (scenario.folder / "secret.txt").write_text("no")
    for report_id, name in (
        (rid, "../../secret.txt"),
        ("..", "secret.txt"),
        (rid, "report.html/.."),
        ("report-20990101T000000Z-abcdef", "report.html"),
        (rid, "/etc/passwd"),
    ):
        with pytest.raises(ReportNotFoundError):
            report_file(reports, report_id, name)
    # A report folder that is a symlink to elsewhere is not followed out.
    outside = scenario.folder / "outside"
    outside.mkdir()
    (outside / "report.html").write_text("no")
    link = reports / "report-20990101T000000Z-0000aa"
    link.symlink_to(outside, target_is_directory=True)
    try:
        with pytest.raises(ReportNotFoundError):
            report_file(reports, link.name, "report.html")
    finally:
        link.unlink()


def test_report_run_command(scenario: Scenario, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["report", "run", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "report.html" in result.output
    (folder,) = [p for p in tmp_path.iterdir() if p.name.startswith("report-")]
    assert {p.name for p in folder.iterdir()} == {"report.html", "report.json", "summary.md"}
    bad = CliRunner().invoke(main, ["report", "run", "--since", "yesterday"])
    assert bad.exit_code == 1
    assert "Error: --since 'yesterday'" in bad.output
