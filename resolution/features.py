"""From person records to the columns the scoring model compares (one Arrow table).

Every value the model compares is derived here, once per record: name forms (order-free
keys, tokens, phonetic skeletons, initials), the birth date and year, the identifiers
few enough records hold to be evidence, the identity documents that are not
placeholders. Which tokens and identifiers are too common to count is read off the
records themselves, so the same rules hold for a small case and for a national file.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

import pyarrow as pa

from normalise import NormaliseError
from normalise.documents import normalise_document
from normalise.name_forms import NameForms, name_forms
from normalise.name_tables import NICKNAMES
from resolution.records import PersonRecord
from resolution.settings import ResolutionSettings

# Shortest document number taken as one (shorter ones are codes, not numbers).
_MIN_DOCUMENT_CHARS = 5
# Distinct lists of names from which name forms are derived in other processes
# (`threads` of them): below, starting the processes costs more than it saves, and
# small cases stay in one process.
_PARALLEL_NAMES = 100_000
_CHUNK = 20_000  # lists of names per task given to a process
# The fewest letters a name cut short keeps ("Rey", "Gab"); parts two letters longer
# than that or more are cut.
_SHORTEST_CUT = 3

SCHEMA = pa.schema(
    [
        ("unique_id", pa.string()),
        ("name_key", pa.string()),
        ("rare_name_key", pa.string()),
        ("name_keys", pa.list_(pa.string())),
        ("tokens", pa.list_(pa.string())),
        ("parts", pa.list_(pa.string())),
        ("skeletons", pa.list_(pa.string())),
        ("initials", pa.list_(pa.string())),
        ("letters", pa.list_(pa.string())),
        ("nick_fulls", pa.list_(pa.string())),
        ("shortenings", pa.list_(pa.string())),
        ("block_keys", pa.list_(pa.string())),
        ("short_key", pa.string()),
        ("name_words", pa.list_(pa.string())),
        ("typo_keys", pa.list_(pa.string())),
        ("initial_keys", pa.list_(pa.string())),
        ("initials_key", pa.string()),
        ("birth_date", pa.string()),
        ("birth_year", pa.string()),
        ("birth_keys", pa.list_(pa.string())),
        ("nationality", pa.string()),
        ("countries", pa.list_(pa.string())),
        ("gender", pa.string()),
        ("identifiers", pa.list_(pa.string())),
        ("first_identifier", pa.string()),
        ("documents", pa.list_(pa.string())),
    ]
)


# The columns derived from names (once per distinct list of names).
_NAME_COLUMNS = (
    "name_key",
    "rare_name_key",
    "name_keys",
    "tokens",
    "parts",
    "skeletons",
    "initials",
    "letters",
    "nick_fulls",
    "shortenings",
    "block_keys",
    "short_key",
    "name_words",
    "typo_keys",
    "initial_keys",
    "initials_key",
)


def document_number(raw: str) -> str | None:
    """The comparable form of a document number, or None when it is no evidence.

    The number as ingest keys it (normalise.documents: separators dropped, placeholders
    such as `000000`, `N/A` or `123456789` refused), and at least five characters:
    shorter ones are codes, not numbers.
    """
    try:
        number = normalise_document(raw)
    except NormaliseError:
        return None
    return number if len(number) >= _MIN_DOCUMENT_CHARS else None


def _document_numbers(record: PersonRecord) -> set[str]:
    # Numbers only: the kind (`passport:PH`) is not compared. Passports are renewed under
    # new numbers, so two numbers of one kind that differ are no evidence either way.
    numbers = (document_number(raw.rpartition(":")[2]) for raw in record.documents)
    return {number for number in numbers if number is not None}


def _gender(raw: str | None) -> str | None:
    # Sources write M, male, Nam, ชาย...: only the Latin first letter m/f is compared.
    if not raw:
        return None
    first = raw.strip()[:1].lower()
    return first if first in ("m", "f") else None


def _birth_date(raw: str | None) -> str | None:
    # ISO dates only; anything else (a year alone, a bad value) compares as missing.
    if raw and len(raw) == 10 and raw[4] == "-" and raw[7] == "-":
        return raw
    return None


def build_table(records: Sequence[PersonRecord], settings: ResolutionSettings) -> pa.Table:
    """The model's input: one row per record, the columns of `SCHEMA`."""
    # Records repeat names (one person in several sources, names many people carry):
    # name forms are derived once per distinct list of names, then spread to the rows.
    index: dict[tuple[str, ...], int] = {}
    rows = [index.setdefault(record.names, len(index)) for record in records]
    distinct = list(index)
    if settings.threads > 1 and len(distinct) >= _PARALLEL_NAMES:
        # Name forms are pure Python, one core's work under the GIL: other processes
        # derive them while this one builds the columns of the rest of the record.
        # Spawned, not forked: the caller may hold threads (a driver, a scheduler).
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(settings.threads, mp_context=context) as pool:
            chunks = [distinct[i : i + _CHUNK] for i in range(0, len(distinct), _CHUNK)]
            pending = pool.map(_forms_of, chunks)
            columns = _record_columns(records, settings)
            forms = [form for chunk in pending for form in chunk]
    else:
        columns = _record_columns(records, settings)
        forms = _forms_of(distinct)
    carried = [0] * len(distinct)  # records per distinct list of names
    for i in rows:
        carried[i] += 1
    names = _name_columns(forms, carried, settings, rows)
    return pa.table(
        {name: names[name] if name in names else columns[name] for name in SCHEMA.names},
        schema=SCHEMA,
    )


def _forms_of(names: Sequence[tuple[str, ...]]) -> list[NameForms]:
    return [name_forms(n) for n in names]


def _name_columns(
    forms: Sequence[NameForms],
    carried: Sequence[int],
    settings: ResolutionSettings,
    rows: Sequence[int],
) -> dict[str, pa.ChunkedArray]:
    """The name columns of every record, from the forms of each distinct list of names
    (`carried[i]` records carry `forms[i]`; `rows[j]` is record j's list)."""
    common = _common_tokens(forms, carried, settings)
    # Which tokens are two others joined: worked out once per name, for both uses.
    joins = [_joins(set(form.tokens)) for form in forms]
    within = [_within_forms(form.tokens, joined) for form, joined in zip(forms, joins, strict=True)]
    names: Counter[str] = Counter()
    for form, n in zip(forms, carried, strict=True):
        if form.key:
            names[form.key] += n
    table = pa.table(
        {
            "name_key": [form.key for form in forms],
            # Blocks on the name alone only where the name is rare: a name hundreds
            # share would make hundreds squared pairs, none of them evidence.
            "rare_name_key": [
                form.key if form.key and names[form.key] <= settings.max_name_block else None
                for form in forms
            ],
            "name_keys": [form.keys for form in forms],
            "tokens": [
                _parts(form.tokens, common, joined)
                for form, joined in zip(forms, joins, strict=True)
            ],
            "parts": [parts for parts, _, _ in within],
            "letters": [form.letters for form in forms],
            "nick_fulls": [fulls for _, fulls, _ in within],
            "shortenings": [cuts for _, _, cuts in within],
            "skeletons": [form.skeletons for form in forms],
            "initials": [form.initials for form in forms],
            "block_keys": [form.block_keys for form in forms],
            "short_key": [form.short_key for form in forms],
            "name_words": [form.key.split(" ") if form.key else None for form in forms],
            "typo_keys": [typo_keys(form.key) for form in forms],
            "initial_keys": [initial_keys(form.key, form.letters) for form in forms],
            # Initials meet across "Maria S.", "M. Santos" and "Maria Santos".
            "initials_key": [" ".join(form.initials) or None for form in forms],
        },
        schema=pa.schema([SCHEMA.field(name) for name in _NAME_COLUMNS]),
    ).take(pa.array(rows, pa.int64()))
    return {name: table.column(name) for name in _NAME_COLUMNS}


def _record_columns(
    records: Sequence[PersonRecord], settings: ResolutionSettings
) -> dict[str, Sequence[object]]:
    """The columns that are not names, one value per record."""
    held = _identifier_holders(records)
    births = [_birth_date(record.birth_date) for record in records]
    # Some 20,000 distinct dates in a million records: their keys are made once each.
    keys_of = {birth: birth_keys(birth) for birth in set(births)}
    few = [
        sorted({x for x in record.identifiers if held[x] <= settings.max_identifier_holders})
        for record in records
    ]
    # A number that many records carry (a form's sample number, a shared agency
    # document) is no more evidence than a hub phone: it is left out, as they are.
    found = [_document_numbers(record) for record in records]
    carried = Counter(n for numbers in found for n in numbers)
    documents = [
        sorted(n for n in numbers if carried[n] <= settings.max_identifier_holders)
        for numbers in found
    ]
    return {
        "unique_id": [record.id for record in records],
        "birth_date": births,
        "birth_year": [birth[:4] if birth else None for birth in births],
        "birth_keys": [keys_of[birth] for birth in births],
        "nationality": [record.nationality or None for record in records],
        "countries": [
            sorted({*record.countries, *([record.nationality] if record.nationality else [])})
            for record in records
        ],
        "gender": [_gender(record.gender) for record in records],
        "identifiers": few,
        # EM trains within blocks of one value: a phone, the identifier most shared
        # between sources, stands for the list (any identifier when no phone).
        "first_identifier": [
            next((x for x in ids if x.startswith("Phone:")), ids[0] if ids else None) for ids in few
        ],
        "documents": documents,
    }


def birth_keys(birth: str | None) -> list[str]:
    """Keys on which dates one slip apart meet: two of year, month and day, or the year
    with month and day in either order (a day keyed as the month).

    One part of the date mistyped leaves the other two, so the dates share one of these.
    """
    if not birth:
        return []
    year, month, day = birth[:4], birth[5:7], birth[8:10]
    low, high = sorted((month, day))
    return [f"{year}-{month}-", f"-{month}-{day}", f"{year}--{day}", f"{year}:{low}{high}"]


def typo_keys(key: str | None) -> list[str]:
    """Keys on which names one typo apart meet: per word, the first letter of that word
    and the other words (the name key being order-free, so are these).

    A typo changes one word and, as most slips do, leaves its first letter ("Begum" and
    "Bfgum", "Trần" and "Tầrn"): the two names then share the key of that word. A name of
    one word has none (its first letter alone would meet too many names).
    """
    if not key:
        return []
    words = key.split(" ")
    if len(words) < 2:
        return []
    return sorted(
        {" ".join([*words[:i], *words[i + 1 :], f"{word[0]}*"]) for i, word in enumerate(words)}
    )


def initial_keys(key: str | None, letters: Sequence[str]) -> list[str]:
    """Keys on which a name met with one part written as an initial meets the name in
    full: each word (or a full form of it, for a nickname) with the initial of another
    word, or with a letter the name writes alone.

    "Jenny M." keys "jennifer m", as "Jennifer Bautista Mendoza" does.
    """
    if not key:
        return []
    words = key.split(" ")
    found: set[str] = set()
    for i, word in enumerate(words):
        initials = {w[0] for j, w in enumerate(words) if j != i}.union(letters)
        for form in (word, *NICKNAMES.get(word, ())):
            found.update(f"{form} {initial}" for initial in initials)
    return sorted(found)


def _common_tokens(
    forms: Sequence[NameForms], carried: Sequence[int], settings: ResolutionSettings
) -> frozenset[str]:
    """Tokens carried by too many records to say that two of them share a name."""
    counts: Counter[str] = Counter()
    for form, n in zip(forms, carried, strict=True):
        for token in form.tokens:
            counts[token] += n
    limit = max(settings.common_token_floor, settings.common_token_share * sum(carried))
    return frozenset(token for token, n in counts.items() if n > limit)


def _parts(tokens: tuple[str, ...], common: frozenset[str], joined: set[str]) -> list[str]:
    """The name parts that count as evidence: not common, and not two parts joined.

    Name forms add adjacent tokens joined ("wei jie" -> "weijie") so that a name written
    either way meets; counted as a part of its own, the join would make one shared
    family name ("nguyen quang" -> "nguyenquang") count as two parts in common.
    `joined` holds those joins (`_joins`).
    """
    return [t for t in tokens if t not in common and t not in joined]


def _joins(present: set[str]) -> set[str]:
    """The tokens that are two others of `present` joined ("weijie" of "wei", "jie")."""
    return {
        t for t in present for i in range(2, len(t) - 1) if t[:i] in present and t[i:] in present
    }


def _within_forms(
    tokens: tuple[str, ...], joined: set[str]
) -> tuple[list[str], list[str], list[str]]:
    """What "one name within the other" compares: the name's own parts, the full forms
    of its nicknames, and its parts cut short.

    Own parts are neither a nickname nor the full forms name forms added for it, nor a
    join of two parts. "Pat" is Patricia or Patrick: one of them, not both, is to be
    found in the other name. A name is cut short for a nickname ("Rey" for Reynaldo,
    "Rosa" for Rosalinda, "Carlo" for Carlos): the first three letters or more of a part
    of five letters or more. `joined` holds the tokens that are two others joined.
    """
    present = set(tokens)
    nicknames = {t for t in present if t in NICKNAMES}
    fulls = {full for t in nicknames for full in NICKNAMES[t]}
    parts = sorted(present - nicknames - fulls - joined)
    cuts = {
        part[:n]
        for part in parts
        if len(part) >= _SHORTEST_CUT + 2
        for n in range(_SHORTEST_CUT, len(part))
    }
    return parts, sorted(fulls), sorted(cuts)


def _identifier_holders(records: Sequence[PersonRecord]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for record in records:
        counts.update(set(record.identifiers))
    return counts
