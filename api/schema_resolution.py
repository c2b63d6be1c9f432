"""Entity resolution: the review queue, identities, and analysts' judgements.

Reading needs any key; judging (`judge`, `undoJudgement`, `undoMerge`,
`splitIdentity`) needs the analyst role. Each judgement is stored with the caller's
name and rebuilds the identities from the stored scores (resolution/run.py); the
request's audit record holds its arguments and the records it concerns.
"""

# No `from __future__ import annotations`, as in the other parts of the schema.

from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

import strawberry
from neo4j.exceptions import Neo4jError
from strawberry.types import Info

from api.context import Context, blocking
from api.entity import Entity
from api.errors import UserError
from api.identities import (
    IdentityInfo,
    JudgementInfo,
    VerdictValue,
    identity_info,
    judgement_info,
)
from api.pagination import Connection, page_of
from api.reads import budget_error
from api.roles import Action
from api.schema_caller import needs
from resolution import run
from resolution.judgements import MAX_REASON_CHARS, Judgement, JudgementError
from resolution.settings import ResolutionSettings
from resolution.show import identity_view

T = TypeVar("T")

CanJudge = needs(Action.JUDGE)

# Most records one `splitIdentity` takes out: one human is rarely more than a few
# records, and each one taken out is judged against every one left.
MAX_SPLIT_RECORDS = 200
# The audit record's variables take the arguments of each judging field under this
# key, which no GraphQL variable can have (names are letters, digits and `_`): a
# client that writes the arguments into the document, not as variables, is recorded too.
AUDIT_KEY = "@judging"
# What each request's judging fields noted so far (a document may alias several).
_NOTED: WeakKeyDictionary[Context, list[dict[str, Any]]] = WeakKeyDictionary()


@strawberry.type(description="What one comparison of a pair added to its match weight.")
class ExplanationTerm:
    comparison: str = strawberry.field(
        description="The comparison, as the model names it (`name`, `birth_date`...)."
    )
    level: str = strawberry.field(description="How the two records compare on it.")
    match_weight: float = strawberry.field(
        description="Its weight (log2 of the odds), term frequencies included."
    )


@strawberry.type(description="A pair of person records waiting for an analyst's judgement.")
class ReviewPair:
    a: Entity
    b: Entity
    probability: float = strawberry.field(description="The match probability the model gave.")
    match_weight: float = strawberry.field(
        description="log2 of the match odds: the prior's weight plus the explanation's."
    )
    value: float = strawberry.field(
        description=(
            "probability × log2(2 + facts the two records hold): what judging the pair "
            "would change; the queue's order."
        )
    )
    explanation: list[ExplanationTerm]


def record_key(info: Info[Context, None], value: str) -> str:
    """A Person's key from `Person:key` (the API's id) or the bare key."""
    label = info.context.services.person_label
    return value.removeprefix(f"{label}:")


def _reason(reason: str) -> str:
    if len(reason) > MAX_REASON_CHARS:
        raise UserError(f"reason: {len(reason)} characters; a reason may have {MAX_REASON_CHARS}")
    return reason


async def _judging(
    info: Info[Context, None],
    field: str,
    arguments: dict[str, Any],
    records: list[str],
    fn: Callable[..., T],
    *args: Any,
) -> T:
    """Audit the field's arguments, then run resolution's `fn(driver, model, database,
    settings, *args)`; its JudgementError is the client's error.

    Resolution rebuilds the identities holding their lease (resolution/lock.py), shared
    with every API worker, the command line and the scheduler; a judgement waits for it
    no longer than the request's budget."""
    context = info.context
    audit = context.audit
    noted = _NOTED.setdefault(context, [])
    noted.append({"field": field, **arguments})
    # Replaces whatever a client sent under that key (JSON allows it, GraphQL never
    # uses it): the entries are only ever the server's own.
    audit.variables = {**audit.variables, AUDIT_KEY: list(noted)}
    label = context.services.person_label
    audit.entities.update(f"{label}:{key}" for key in records)
    services = context.services
    call = partial(
        fn,
        services.driver,
        services.model,
        services.settings.neo4j_database,
        ResolutionSettings(),
        *args,
        wait_s=services.api.request_timeout_s,
    )
    # Counted once: resolution records, undoes and rebuilds in several round trips of
    # its own, which it does not count.
    audit.trips.add()
    try:
        return await blocking(call)
    except JudgementError as error:
        raise UserError(str(error)) from None


def _judgements(info: Info[Context, None], made: list[Judgement]) -> list[JudgementInfo]:
    label = info.context.services.person_label
    info.context.audit.entities.update(f"{label}:{x}" for j in made for x in (j.a, j.b))
    return [judgement_info(j, label) for j in made]


@strawberry.type
class ResolutionQuery:
    """The query fields of entity resolution."""

    @strawberry.field(
        description=(
            "Pairs of person records that scored between the review and merge thresholds, "
            "have no judgement in force and are not one identity already; highest value first."
        )
    )
    async def review_queue(
        self, info: Info[Context, None], first: int = 20, after: str | None = None
    ) -> Connection[ReviewPair]:
        start, size = page_of(first, after, info.context.api)
        services = info.context.services
        info.context.audit.trips.add()
        timeout_s = services.api.request_timeout_s
        try:
            rows = await blocking(
                run.review_queue,
                services.driver,
                services.model,
                services.settings.neo4j_database,
                size + 1,
                start,
                timeout_s,
            )
        except Neo4jError as error:
            raise budget_error(error, timeout_s) or error from error
        label = services.person_label
        ids = [f"{label}:{row[end]}" for row in rows[:size] for end in ("a", "b")]
        entities = await info.context.loaders.nodes.load_many(ids)
        pairs = []
        for row, a, b in zip(rows[:size], entities[::2], entities[1::2], strict=True):
            if a is None or b is None:
                continue  # a record gone since the queue was read
            pairs.append(
                ReviewPair(
                    a=a,
                    b=b,
                    probability=float(row["probability"]),
                    match_weight=float(row["match_weight"]),
                    value=float(row["value"]),
                    explanation=[
                        ExplanationTerm(
                            comparison=str(term["comparison"]),
                            level=str(term["level"]),
                            match_weight=float(term["match_weight"]),
                        )
                        for term in row["explanation"]
                    ],
                )
            )
        return Connection.of(pairs, start, len(rows) > size)

    @strawberry.field(
        description=(
            "The identity of a person record (`Person:key` or the key) or an identity id: "
            "its records, names, identifiers, documents, sources, links and judgements. "
            "A record in no identity is shown alone (id null); null for an unknown id."
        )
    )
    async def identity(self, info: Info[Context, None], id: strawberry.ID) -> IdentityInfo | None:
        services = info.context.services
        info.context.audit.trips.add()
        timeout_s = services.api.request_timeout_s
        try:
            view = await blocking(
                identity_view,
                services.driver,
                services.model,
                services.settings.neo4j_database,
                record_key(info, str(id)),
                timeout_s,
            )
        except JudgementError:
            return None
        except Neo4jError as error:
            raise budget_error(error, timeout_s) or error from error
        return identity_info(view, services.person_label)


@strawberry.type
class ResolutionMutation:
    """The mutations of entity resolution (analyst role): judging pairs of records."""

    @strawberry.mutation(
        description=(
            "Judge a pair of person records (analyst role): `SAME` joins their identities, "
            "`DIFFERENT` keeps them apart whatever the scores say, `UNSURE` takes the pair "
            "out of the queue and out of automatic merging. Returns the judgement."
        ),
        permission_classes=[CanJudge],
    )
    async def judge(
        self,
        info: Info[Context, None],
        a: strawberry.ID,
        b: strawberry.ID,
        verdict: VerdictValue,
        reason: str,
    ) -> JudgementInfo:
        pair = (record_key(info, str(a)), record_key(info, str(b)))
        arguments = {"a": pair[0], "b": pair[1], "verdict": verdict.value, "reason": reason}
        made = await _judging(
            info,
            "judge",
            arguments,
            list(pair),
            run.judge,
            pair,
            verdict.verdict(),
            _reason(reason),
            info.context.principal.name,
        )
        return _judgements(info, [made])[0]

    @strawberry.mutation(
        description=(
            "Undo a judgement in force, or every judgement of a split's batch (analyst "
            "role). The judgements stay, marked undone. Returns them."
        ),
        permission_classes=[CanJudge],
    )
    async def undo_judgement(
        self, info: Info[Context, None], id: strawberry.ID
    ) -> list[JudgementInfo]:
        undone = await _judging(
            info,
            "undoJudgement",
            {"id": str(id)},
            [],
            run.undo,
            str(id),
            info.context.principal.name,
        )
        return _judgements(info, undone)

    @strawberry.mutation(
        description=(
            "Undo an automatic merge (analyst role): the pair is judged `DIFFERENT`, with "
            "origin `undo-merge`; undoing that judgement merges them again."
        ),
        permission_classes=[CanJudge],
    )
    async def undo_merge(
        self, info: Info[Context, None], a: strawberry.ID, b: strawberry.ID, reason: str
    ) -> JudgementInfo:
        pair = (record_key(info, str(a)), record_key(info, str(b)))
        made = await _judging(
            info,
            "undoMerge",
            {"a": pair[0], "b": pair[1], "reason": reason},
            list(pair),
            run.undo_merge,
            pair,
            _reason(reason),
            info.context.principal.name,
        )
        return _judgements(info, [made])[0]

    @strawberry.mutation(
        description=(
            "Take records out of their identity (analyst role): each is judged `DIFFERENT` "
            f"from every record left, in one batch (undo it with `undoJudgement`). At most "
            f"{MAX_SPLIT_RECORDS} records. Returns the judgements."
        ),
        permission_classes=[CanJudge],
    )
    async def split_identity(
        self, info: Info[Context, None], records: list[strawberry.ID], reason: str
    ) -> list[JudgementInfo]:
        if len(records) > MAX_SPLIT_RECORDS:
            raise UserError(
                f"records: {len(records)} ids; a split may take out {MAX_SPLIT_RECORDS}"
            )
        keys = list(dict.fromkeys(record_key(info, str(r)) for r in records))
        made = await _judging(
            info,
            "splitIdentity",
            {"records": keys, "reason": reason},
            keys,
            run.split,
            keys,
            _reason(reason),
            info.context.principal.name,
        )
        return _judgements(info, made)
