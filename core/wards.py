"""The 23 wards' reference data and the check digit of their local government codes."""

import csv
from pathlib import Path

WARDS_CSV = Path(__file__).resolve().parent / "data" / "wards.csv"


def local_government_code_check_digit(first_five: str) -> int:
    """Check digit of a 全国地方公共団体コード (総務省's modulus 11 rule)."""
    total = sum(int(d) * w for d, w in zip(first_five, (6, 5, 4, 3, 2), strict=True))
    # 11 - remainder, where 10 becomes 0 and 11 becomes 1: hence the modulo 10.
    return (11 - total % 11) % 10


def is_valid_local_government_code(code: str) -> bool:
    return (
        len(code) == 6
        and code.isdigit()
        and local_government_code_check_digit(code[:5]) == int(code[5])
    )


def read_wards_csv(path: Path = WARDS_CSV) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if not is_valid_local_government_code(row["code"]):
            raise ValueError(f"Invalid local government code in {path}: {row['code']}")
    return rows
