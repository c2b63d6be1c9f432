"""Generate linkgraph's bundled demo investigation into ``demo/data/``.

The command line of the generator; the work is done by the ``gen`` package beside this
file (its docstring describes the demo, its modules the cast and each source file).

Usage::

    .venv/bin/python demo/generate.py [--out DIR]
    .venv/bin/python -m demo.generate [--out DIR]  # from the checkout's root
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

# Run as a script, this folder is first on sys.path and the package is `gen`; imported as
# `demo.generate` (python -m from the checkout's root), it is the sibling `demo.gen`.
# mypy checks demo/ as a folder of top-level modules, hence the first branch for it.
if TYPE_CHECKING or not __package__:
    from gen import (
        DEFAULT_OUT,
        SEED,
        Cast,
        FileTruth,
        Generator,
        Human,
        Phone,
        Wallet,
        ascii_upper,
        doc_id,
        generate,
    )
else:
    from .gen import (
        DEFAULT_OUT,
        SEED,
        Cast,
        FileTruth,
        Generator,
        Human,
        Phone,
        Wallet,
        ascii_upper,
        doc_id,
        generate,
    )

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
    "main",
]


def main(argv: list[str] | None = None) -> int:
    """Command line: write the demo data (default: demo/data/)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0] if __doc__ else "")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    args = parser.parse_args(argv)
    for path in generate(args.out):
        print(f"{path.stat().st_size:>9,d}  {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
