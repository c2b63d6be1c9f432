"""Drawing phone calls, shared by the three operators' call detail records."""

from __future__ import annotations

from datetime import date, datetime

from .chance import Chance
from .entities import Human, Phone
from .world import END, START

# (time, caller, callee, seconds, "VOICE" or "SMS")
Call = tuple[datetime, Phone, Phone, int, str]


def call_rows(
    rng: Chance,
    pairs: list[tuple[Phone, Phone, int]],
    count_sms: bool,
    start: date = START,
    end: date = END,
) -> list[Call]:
    """(time, caller, callee, seconds, type) for `n` calls per pair, either direction."""
    calls = []
    for a, b, n in pairs:
        for _ in range(n):
            caller, callee = (a, b) if rng.random() < 0.6 else (b, a)
            when = rng.moment(start, end, hours=(6, 23))
            # Only an operator that logs SMS draws for it: the stream must not move otherwise.
            sms = count_sms and rng.random() < 0.2
            seconds = 0 if sms else int(rng.expovariate(1 / 140)) + 5
            calls.append((when, caller, callee, seconds, "SMS" if sms else "VOICE"))
    return calls


def background_pairs(
    rng: Chance, people: list[Human], calls: int
) -> list[tuple[Phone, Phone, int]]:
    """Sparse calls among background people, mostly within small circles."""
    pool = [h for h in people if h.phones]
    rng.shuffle(pool)
    circles = [pool[i : i + rng.randint(3, 6)] for i in range(0, len(pool), 5)]
    counts: dict[tuple[Phone, Phone], int] = {}
    for _ in range(calls):
        circle = rng.pick(circles) if rng.random() < 0.85 else pool
        if len(circle) < 2:
            continue
        a, b = rng.sample(circle, 2)
        pair = (rng.pick(a.phones), rng.pick(b.phones))
        counts[pair] = counts.get(pair, 0) + 1
    return [(a, b, n) for (a, b), n in counts.items()]
