"""The generator of linkgraph's bundled demo investigation (``demo/data/``).

The demo is a small, multi-source investigation into labour trafficking and migrant
smuggling across South-East Asia and Canada. Three networks are planted in it:

* ``recruitment_ring`` (Philippines / Viet Nam, 12 people): posts fake "customer service
  in Bangkok" job adverts, flies recruits to Bangkok and on to Mae Sot;
* ``transport_cell`` (Thailand / Malaysia, 9 people): moves migrants across the
  Sadao / Padang Besar border from safe houses in Hat Yai;
* ``money_cell`` (Canada, 8 people): forges documents and launders proceeds through
  crypto-currency and money mules in Toronto and Montréal;

plus one broker who ties the recruitment ring to the money cell, one recruitment agency
hotline listed by many unrelated people (the hub the hub policy must flag), about 300
background people with sparse, unrelated activity, and a handful of deliberately bad
records that the loader must reject with a reason.

Every value is drawn from one ``random.Random(20261128)`` stream so the output is
reproducible byte for byte; phone numbers are checked with linkgraph's own normaliser
(libphonenumber must call them valid), wallet addresses carry correct checksums (EIP-55,
Base58Check, Bech32). Canadian numbers use the NANP 555-01XX block reserved for fiction;
the other numbers are random and may belong to real subscribers: treat the data as
fiction.

Besides the data files it writes ``truth.json``: the planted networks with the Person
ids linkgraph gives each member in each source, the broker, the hub, and the number of
records each file should read, load and reject.

Layout: :mod:`.cast` holds the people and their identifiers (drawn with :mod:`.chance`,
:mod:`.identifiers` and :mod:`.names`, in the world of :mod:`.world`); one module per
file family renders it (:mod:`.telco_subscribers`, :mod:`.cdr_ph`, :mod:`.cdr_th`,
:mod:`.cdr_ca`, :mod:`.seized`, :mod:`.job_adverts`, :mod:`.exchange_kyc`,
:mod:`.exchange_transfers`, :mod:`.border_crossings`, :mod:`.hotel_registrations`,
:mod:`.referral_ftm`, :mod:`.truth`), writing numbers as each source does with
:mod:`.spelling`; :mod:`.generator` runs them in order. The command line is
``demo/generate.py``.
"""

from __future__ import annotations

from .cast import Cast
from .chance import SEED
from .entities import Human, Phone, Wallet
from .generator import DEFAULT_OUT, Generator, generate
from .output import FileTruth
from .spelling import ascii_upper, doc_id

__all__ = [
    "DEFAULT_OUT",
    "SEED",
    "Cast",
    "FileTruth",
    "Generator",
    "Human",
    "Phone",
    "Wallet",
    "ascii_upper",
    "doc_id",
    "generate",
]
