"""The demo's seed and the random draws shared by the cast and every renderer."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import TypeVar

from .world import END, START

SEED = 20261128

T = TypeVar("T")


class Chance(random.Random):
    """``random.Random`` with the few draws the demo makes everywhere.

    A subclass rather than a wrapper, so that the cast and every renderer take their draws
    (these and the standard ones) from one stream: the files are reproducible byte for
    byte only while that stream is consumed in the same order.
    """

    def pick(self, items: Sequence[T]) -> T:
        """One item, uniformly."""
        return items[self.randrange(len(items))]

    def digits(self, count: int) -> str:
        """`count` random decimal digits."""
        return "".join(str(self.randrange(10)) for _ in range(count))

    def letters(self, count: int) -> str:
        """`count` random capital letters."""
        return "".join(chr(65 + self.randrange(26)) for _ in range(count))

    def moment(
        self,
        start: date = START,
        end: date = END,
        hours: tuple[int, int] = (7, 22),
    ) -> datetime:
        """A naive local date-time in [start, end), at a waking hour."""
        day = start + timedelta(days=self.randrange((end - start).days))
        return datetime(
            day.year,
            day.month,
            day.day,
            self.randint(*hours),
            self.randrange(60),
            self.randrange(60),
        )


def side_stream(name: str) -> Chance:
    """A stream of its own for draws added to a source after its first release.

    Seeded by the demo's seed and `name`, so the new draws leave the main stream, and every
    file it writes, as they were.
    """
    return Chance(f"{SEED}:{name}")
