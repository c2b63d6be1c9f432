"""`linkgraph demo`: the whole pipeline on the bundled demo investigation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from analytics.pipeline import run_analysis
from api.keys import ApiKeyStore
from api.roles import Role
from core.db import get_driver
from core.settings import Settings
from graph_schema.apply import apply_schema
from graph_schema.loader import load_model
from ingest.loader import Loader
from ingest.runs import IngestSummary
from linkgraph.neo4j_local import LocalNeo4j
from reports.run import run_report
from reports.settings import ReportSettings
from resolution.run import run_resolution
from resolution.settings import ResolutionSettings

DEMO_DIR = Path(__file__).resolve().parent.parent / "demo"


def demo_mappings(demo_dir: Path = DEMO_DIR) -> list[Path]:
    """The demo investigation's mappings, in load order (file name order)."""
    return sorted((demo_dir / "mappings").glob("*.yaml"))


def run_demo(settings: Settings, say: Callable[[str], None]) -> list[IngestSummary]:
    """Start Neo4j (when local), apply the schema, load and analyse the demo data."""
    if settings.uses_local_neo4j:
        say(f"Neo4j: {LocalNeo4j(settings).start().describe()}")
    else:
        say(f"Neo4j: using {settings.bolt_uri}")
    model = load_model(settings.model_dir)
    driver = get_driver()
    result = apply_schema(driver, model, settings.neo4j_database)
    say(f"schema {model.header.name} v{model.version}: {result.summary()}")
    loader = Loader.from_settings(driver, model, settings)
    summaries = []
    for mapping in demo_mappings():
        summary = loader.load(mapping, rejects_dir=settings.data_dir / "rejects")
        say(f"ingest {mapping.name}:\n  " + summary.describe().replace("\n", "\n  "))
        summaries.append(summary)
    read = sum(s.records_read for s in summaries)
    loaded = sum(s.records_loaded for s in summaries)
    rejected = sum(s.records_rejected for s in summaries)
    say(f"demo data: {len(summaries)} sources, read {read} = loaded {loaded} + rejected {rejected}")
    # Resolution first: the analysis counts one person per identity it finds.
    say(run_resolution(driver, model, settings.neo4j_database, ResolutionSettings()).describe())
    say(run_analysis(driver, model, settings.neo4j_database, say=say).describe())
    report = run_report(
        driver, model, settings.neo4j_database, ReportSettings().reports_dir(settings.data_dir)
    )
    say(report.describe())
    return summaries


def demo_api_key(settings: Settings) -> tuple[str, Path]:
    """The demo's analyst API key: the one kept in `<data dir>/demo-api-key` while it still
    works, else a new one written there (mode 0600). Returns (token, file)."""
    store = ApiKeyStore(get_driver(), settings.neo4j_database)
    path = settings.data_dir / "demo-api-key"
    if path.is_file():
        token = path.read_text().strip()
        if store.authenticate(token) is not None:
            return token, path
    created = store.create("demo", Role.ANALYST)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.chmod(0o600)
    path.write_text(created.token + "\n")
    return created.token, path
