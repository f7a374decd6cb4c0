"""The KPI aggregates (insights.opendata): the published, suppressed ward table.

The rows and their table schema belong to insights; here they are only typed for the
OpenAPI document (from insights' own TABLE_SCHEMA, so a new column shows up in both).
"""

from datetime import date

from django.utils.translation import gettext_noop as N_
from ninja import Field, Schema
from pydantic import create_model

from insights.opendata import LICENCE, TABLE_SCHEMA, published_rows

_TYPES = {"integer": int, "number": float, "date": date, "string": str}


def _column(field: dict):
    kind = _TYPES.get(field["type"], str)
    required = field.get("constraints", {}).get("required", False)
    if required:
        return (kind, Field(..., description=field["title"]))
    return (kind | None, Field(None, description=field["title"]))


KpiRow = create_model(
    "KpiRow",
    __base__=Schema,
    **{field["name"]: _column(field) for field in TABLE_SCHEMA["fields"]},
    suppressed=(
        list[str],
        Field(description=N_("Fields hidden to protect small numbers (their value is null).")),
    ),
)


class KpiTable(Schema):
    count: int = Field(ge=0, description=N_("How many rows."))
    licence: str = Field(description=N_("Licence of the figures."), examples=["CC-BY-4.0"])
    description: str = Field(description=N_("How the table is made and suppressed."))
    items: list[KpiRow]  # type: ignore[valid-type]


def kpi_table(fiscal_year: int | None, ward: str | None) -> dict:
    rows = published_rows(fiscal_year)
    if ward is not None:
        rows = [row for row in rows if row["ward_code"] == ward]
    return {
        "count": len(rows),
        "licence": LICENCE["name"],
        "description": TABLE_SCHEMA.get("description", ""),
        "items": rows,
    }
