"""``telco_subscribers.csv``: SIM registrations returned by operators in six countries.

Each row ties a person (by identity document) to a phone number written in its
country's national style; a foreigner's SIM is registered with the passport.
"""

from __future__ import annotations

from datetime import date

from .cast import Cast
from .entities import Human, Phone
from .output import CsvRow, Output
from .spelling import doc_id, render, render_form
from .world import OPERATORS, TELCO_COUNTRIES


def write(cast: Cast, output: Output) -> None:
    """Subscriber records returned by operators in six countries (person <-> phone)."""
    rng = cast.rng
    truth = output.entry(
        "telco_subscribers.csv",
        "mappings/telco_subscribers.yaml",
        "telco_subscribers",
        "Subscriber (SIM registration) records from operators in VN, PH, TH, BD, SG and "
        "CA; ';'-separated, national number formats, ID documents.",
    )
    rows: list[CsvRow] = []
    serial = 0

    def add(
        human: Human,
        phone: Phone,
        doc: tuple[str, str, str] | None = None,
        bad: str | None = None,
        msisdn: str | None = None,
        birth: str | None = None,
    ) -> None:
        nonlocal serial
        serial += 1
        operator = rng.pick(OPERATORS[phone.region])
        kind, country, number = doc or (human.nid_type, human.nationality, human.nid or "")
        if kind == "nid" and country == "TH" and number:
            # Thai ID cards print the number in groups: 1 2345 67890 12 3.
            n = number
            number = f"{n[0]} {n[1:5]} {n[5:10]} {n[10:12]} {n[12]}"
        activated = rng.moment(date(2019, 1, 1), date(2025, 9, 1))
        name = human.thai_name if (human.thai_name and phone.region == "TH") else human.name
        row = [
            f"{phone.region}-{operator[:3].upper()}-{100000 + serial * 7:07d}",
            operator,
            phone.region,
            msisdn or render(rng, phone, phone.region),
            name,
            kind,
            country,
            number,
            birth or human.birth.strftime("%d/%m/%Y"),
            activated.strftime("%d/%m/%Y"),
        ]
        rows.append(((phone.region, rng.random()), row, bad))
        if bad is None:
            cast.note_id(human, doc_id(kind, country, number))

    for human in cast.humans.values():
        for phone in human.phones:
            if phone.region not in TELCO_COUNTRIES:
                continue
            if human.key == "BR-01" and phone.region == "VN":
                continue  # a prepaid tourist SIM, not registered
            if human.group == "background" and human.leaf_of is None and rng.random() < 0.1:
                continue  # unregistered prepaid SIM
            if phone.region != human.nationality:
                # A foreigner's SIM is registered with the passport.
                add(human, phone, ("passport", human.nationality, human.passport or ""))
            else:
                add(human, phone)
    add(cast.humans["N1-02"], cast.recruitment_line)
    add(cast.humans["N1-09"], cast.nominee_sim)
    # Bad records: a truncated number, an ID number missing, an impossible birth date.
    spare = cast.unrelated()
    victim = spare[5]
    add(
        victim,
        victim.phones[0],
        bad="invalid phone number (digits missing)",
        msisdn=render_form(victim.phones[0], victim.phones[0].region, 0)[:-3],
    )
    victim = spare[77]
    add(
        victim,
        victim.phones[0],
        (victim.nid_type, victim.nationality, ""),
        bad="missing required value: no ID number, so no Person key",
    )
    victim = spare[150]
    add(
        victim,
        victim.phones[0],
        bad="impossible birth date 31/02",
        birth="31/02/" + str(victim.birth.year),
    )
    header = [
        "sub_id",
        "operator",
        "sim_country",
        "msisdn",
        "subscriber_name",
        "id_type",
        "id_country",
        "id_number",
        "birth_date",
        "activated",
    ]
    output.write_csv(truth, header, rows, delimiter=";")
