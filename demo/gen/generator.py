"""Running the whole generation: the cast first, then every source file, then the truth."""

from __future__ import annotations

from pathlib import Path

from . import (
    border_crossings,
    cdr_ca,
    cdr_ph,
    cdr_th,
    exchange_kyc,
    exchange_transfers,
    hotel_registrations,
    job_adverts,
    referral_ftm,
    seized,
    telco_subscribers,
    truth,
)
from .cast import Cast
from .chance import SEED, Chance
from .output import Output

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "data"


class Generator:
    """Builds the cast, then renders each source file from it."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = Chance(seed)
        self.cast = Cast(self.rng)
        self.output = Output()

    def run(self) -> dict[str, bytes]:
        """Build everything; returns file name -> bytes."""
        cast, output = self.cast, self.output
        # One random stream feeds them all, so this order is part of the output: changing
        # it (or adding draws anywhere) changes every file written after that point.
        cast.populate()
        telco_subscribers.write(cast, output)
        cdr_ph.write(cast, output)
        cdr_th.write(cast, output)
        cdr_ca.write(cast, output)
        seized.write(cast, output)
        job_adverts.write(cast, output)
        customers = exchange_kyc.write(cast, output)
        exchange_transfers.write(cast, output, customers)
        border_crossings.write(cast, output)
        hotel_registrations.write(cast, output)
        referral_ftm.write(cast, output)
        truth.write(cast, output)
        return dict(sorted(output.data.items()))


def generate(out: Path) -> list[Path]:
    """Write every demo data file into `out`; returns the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in Generator().run().items():
        path = out / name
        path.write_bytes(data)
        written.append(path)
    return written
