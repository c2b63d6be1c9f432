"""The saved-query library: built-in queries plus an analysts' folder, validated at load."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from graph_schema.yaml_spec import read_spec
from queries.spec import SavedQuery

BUILTIN_DIR = Path(__file__).resolve().parent / "library"


class LibraryError(ValueError):
    """A query file is malformed, misplaced or clashes with another query."""


def load_query(path: Path) -> SavedQuery:
    """Read one query file; LibraryError names the file and the key."""
    query = read_spec(path, SavedQuery, LibraryError)
    if path.stem != query.id:
        raise LibraryError(f"{path}: key id: {query.id!r} must match the file name")
    if path.parent.name != query.category:
        raise LibraryError(
            f"{path}: key category: {query.category!r} must match the folder {path.parent.name!r}"
        )
    return query


class Library:
    """Every saved query by id, from the built-in folder and any extra folders."""

    def __init__(self, folders: Iterable[Path]) -> None:
        self.queries: dict[str, SavedQuery] = {}
        self.sources: dict[str, Path] = {}
        for folder in folders:
            if not folder.is_dir():
                raise LibraryError(f"{folder}: no such query folder")
            for path in sorted(folder.glob("*/*.yaml")):
                query = load_query(path)
                if query.id in self.queries:
                    raise LibraryError(
                        f"{path}: key id: {query.id!r} already defined in {self.sources[query.id]}"
                    )
                self.queries[query.id] = query
                self.sources[query.id] = path

    @classmethod
    def load(cls, extra: Path | None = None) -> Library:
        """The built-in library, plus the analysts' folder when one is configured."""
        return cls([BUILTIN_DIR, *([extra] if extra else [])])

    def get(self, query_id: str) -> SavedQuery:
        """One query by id; LibraryError listing close names otherwise."""
        try:
            return self.queries[query_id]
        except KeyError:
            close = [q for q in self.queries if query_id in q or q in query_id]
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise LibraryError(f"no saved query {query_id!r}{hint}") from None

    def find(self, tag: str | None = None, search: str | None = None) -> list[SavedQuery]:
        """Queries with `tag` and whose id, name, description or tags contain `search`."""
        found = []
        needle = (search or "").casefold()
        for query in sorted(self.queries.values(), key=lambda q: (q.category, q.id)):
            if tag and tag not in query.tags:
                continue
            text = " ".join([query.id, query.name, query.description, *query.tags]).casefold()
            if needle and needle not in text:
                continue
            found.append(query)
        return found
