"""``referral_ftm.jsonl``: a partner agency's referral, as FollowTheMoney entities.

Exported from Aleph: Person entities (the only ones mapped) with their Passport, Company,
Associate, Employment, Address and Note entities around them, which the mapping skips.
"""

from __future__ import annotations

from .cast import Cast
from .entities import Human, Phone
from .output import JsonLine, Output
from .spelling import doc_id


def write(cast: Cast, output: Output) -> None:
    """A partner agency's referral exported from Aleph as FollowTheMoney entities."""
    rng = cast.rng
    truth = output.entry(
        "referral_ftm.jsonl",
        "mappings/referral_ftm.yaml",
        "ph_referral",
        "A Philippine inter-agency referral of persons of interest, exported as "
        "FollowTheMoney entities (Person, Company, Passport, Address, Note...); only "
        "Person entities are mapped.",
    )
    h = cast.humans
    lines: list[JsonLine] = []

    def fid() -> str:
        return "iacat-" + rng.randbytes(10).hex()

    def person(
        human: Human,
        phone: Phone | None,
        extra: dict[str, list[str]] | None = None,
        bad: str | None = None,
    ) -> str:
        entity_id = fid()
        props: dict[str, list[str]] = {
            "name": [human.name],
            "nationality": [human.nationality.lower()],
            "passportNumber": [human.passport or ""],
            "birthDate": [human.birth.isoformat()],
            "gender": ["male" if human.gender == "M" else "female"],
        }
        if phone is not None:
            props["phone"] = [phone.e164]
        if human.aliases:
            props["alias"] = list(human.aliases)
        props.update(extra or {})
        props = {k: v for k, v in props.items() if v != [""]}
        lines.append(
            ((0, len(lines)), {"id": entity_id, "schema": "Person", "properties": props}, bad)
        )
        if bad is None:
            assert human.passport is not None
            cast.note_id(human, doc_id("passport", human.nationality, human.passport))
        return entity_id

    def other(schema: str, props: dict[str, list[str]]) -> str:
        entity_id = fid()
        lines.append(
            ((0, len(lines)), {"id": entity_id, "schema": schema, "properties": props}, None)
        )
        return entity_id

    agency = other(
        "Company",
        {
            "name": ["Golden Bridge Manpower Services Inc."],
            "phone": [cast.hub_phone.e164],
            "jurisdiction": ["ph"],
            "registrationNumber": ["DMW-LB-0412-2019"],
        },
    )
    ids = {}
    for key in ("N1-01", "N1-02", "N1-03", "N1-05"):
        ids[key] = person(h[key], h[key].phones[0])
    ids["BR-01"] = person(h["BR-01"], h["BR-01"].phones[0])
    for key, entity_id in ids.items():
        other(
            "Passport",
            {
                "holder": [entity_id],
                "number": [h[key].passport or ""],
                "country": [h[key].nationality.lower()],
                "type": ["passport"],
            },
        )
    other(
        "Associate",
        {
            "person": [ids["N1-01"]],
            "associate": [ids["BR-01"]],
            "relationship": ["business partner (suspected)"],
        },
    )
    other(
        "Employment",
        {"employer": [agency], "employee": [ids["N1-03"]], "role": ["field recruiter"]},
    )
    other("Address", {"full": ["Unit 4B, 1250 Taft Avenue, Malate, Manila"], "country": ["ph"]})
    other(
        "Note",
        {
            "entity": [ids["N1-01"]],
            "description": [
                "Runs Telegram-based recruitment for 'customer service' jobs in Bangkok; "
                "recruits "
                "are moved to Mae Sot and across to Myawaddy."
            ],
        },
    )
    pool = [x for x in cast.unrelated() if x.nationality in ("PH", "VN")]
    for human in rng.sample(pool, 12):
        person(human, human.phones[0] if rng.random() < 0.7 else None)
        other(
            "Note",
            {
                "entity": [lines[-1][1]["id"]],
                "description": [
                    "Person of interest in an unrelated illegal recruitment complaint."
                ],
            },
        )
    # Bad records: a person without a passport number, and a birth date on 30 February.
    nameless = rng.pick(pool)
    entity_id = fid()
    lines.append(
        (
            (0, len(lines)),
            {
                "id": entity_id,
                "schema": "Person",
                "properties": {
                    "name": [nameless.name],
                    "nationality": ["ph"],
                    "alias": ["Tita Baby"],
                },
            },
            "missing required value: no passportNumber, so no Person key",
        )
    )
    odd = rng.pick(pool)
    person(
        odd,
        None,
        {"birthDate": [f"{odd.birth.year}-02-30"]},
        bad="impossible birth date (30 February)",
    )
    output.write_jsonl(truth, lines, wanted="Person")
