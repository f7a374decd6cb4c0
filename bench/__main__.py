"""Run benchmarks: `python -m bench [name ...] [--scale N]`. Prints one JSON line each."""

import argparse
import importlib
import sys
from pathlib import Path

from .harness import emit, prepare_database, setup_django

HERE = Path(__file__).resolve().parent


def available() -> list[str]:
    return sorted(path.stem.removeprefix("bench_") for path in HERE.glob("bench_*.py"))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "names", nargs="*", help=f"benchmarks to run (default: all of {available()})"
    )
    parser.add_argument(
        "--scale", type=int, default=1, help="seed_demo scale of the bench database"
    )
    parser.add_argument("--repeat", type=int, default=50, help="requests per measured URL")
    args = parser.parse_args(argv)

    names = args.names or available()
    unknown = set(names) - set(available())
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")

    setup_django()
    modules = [importlib.import_module(f"bench.bench_{name}") for name in names]
    # A benchmark may need a minimum data size (its SCALE); the database grows to the largest.
    scale = max([args.scale, *(getattr(module, "SCALE", 1) for module in modules)])
    prepare_database(scale)
    from django.db import connection

    failed = False
    for name, module in zip(names, modules, strict=True):
        figures = module.run(args)
        context = {"scale": scale, "database": connection.vendor, "repeat": args.repeat}
        emit(name, module.DESCRIPTION, figures, context)
        failed |= any(f.get("met") is False for f in figures.values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
