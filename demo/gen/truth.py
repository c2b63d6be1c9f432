"""``truth.json``: the answer key of the demo.

The planted networks with the Person ids linkgraph gives each member in each source, the
broker, the hub, and what each file should give when loaded (records read, loaded,
rejected with the planted reason, filtered out by the mapping). Written last, once every
renderer has noted the Person ids it gave.
"""

from __future__ import annotations

import json
from typing import Any

from .cast import BROKER_DESCRIPTION, HUB_DESCRIPTION, NETWORKS, Cast
from .chance import SEED
from .entities import Human
from .output import Output
from .world import HUB_MIN_PEOPLE, LOCATION_CAP


def member(cast: Cast, human: Human) -> dict[str, Any]:
    """One planted person in truth.json."""
    return {
        "key": human.key,
        "name": human.name,
        "role": human.role,
        "nationality": human.nationality,
        "person_ids": list(cast.person_ids.get(human.key, [])),
    }


def truth(cast: Cast, output: Output) -> dict[str, Any]:
    """The planted answer key."""
    networks = [
        {
            "name": group,
            "description": text,
            "countries": countries,
            "members": [member(cast, x) for x in cast.members(group)],
        }
        for group, (text, countries) in NETWORKS.items()
    ]
    hub_people = [cast.humans[k] for k in cast.agency_staff] + [cast.humans["N1-03"]]
    return {
        # The script that writes the data, whatever module holds the code.
        "generator": "demo/generate.py",
        "seed": SEED,
        "note": "Person ids are as linkgraph keys them: 'dataset:ref' for source-scoped "
        "references, 'passport|nid|dl:CC:number' for identity documents. One "
        "person of the story usually appears as several Person nodes, linked "
        "through shared phones, accounts and wallets.",
        "networks": networks,
        "broker": {
            **member(cast, cast.humans["BR-01"]),
            "bridges": ["recruitment_ring", "money_cell"],
            "description": BROKER_DESCRIPTION,
        },
        "hub": {
            "label": "Phone",
            "id": cast.hub_phone.e164,
            "description": HUB_DESCRIPTION,
            "people": len(hub_people),
            "min_people": HUB_MIN_PEOPLE,
            "person_ids": cast.hub_person_ids,
        },
        "background": {
            "people": len(cast.background()),
            "max_people_per_location": LOCATION_CAP,
        },
        "files": {name: entry.as_json() for name, entry in output.files.items()},
        # Every human of the story with the Person ids they appear as: the answer key of
        # entity resolution (ids of one human are one identity; of two, never).
        "people": [
            {"key": key, "name": cast.humans[key].name, "person_ids": ids}
            for key, ids in sorted(cast.person_ids.items())
            if ids
        ],
    }


def write(cast: Cast, output: Output) -> None:
    """Write truth.json; call it after every other file is written."""
    text = json.dumps(truth(cast, output), ensure_ascii=False, indent=2) + "\n"
    output.data["truth.json"] = text.encode("utf-8")
