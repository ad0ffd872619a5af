"""Write providers as a catalogue file (YAML or CSV) that the importer reads back to the same providers.

Also the JSON form of a provider (every field) for `stifinder providers list --json`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date

import yaml

from knowledge.providers.catalogue import provider_values
from knowledge.providers.importer import CSV_COLUMNS, PRICE_COLUMNS, PRICE_PREFIX
from knowledge.providers.record import Provider

SAMPLE_HEADER = ("# EKSEMPELDATA: udbyderne her er opdigtede (undtagen kommunens eget Rusmiddelcenter).\n"
                 "# Navne, telefonnumre og adresser er fiktive. Erstat filen med kommunens eget katalog.\n")


def provider_dict(provider: Provider) -> dict[str, object]:
    """Every field of a provider as JSON values (enums as their values, dates as YYYY-MM-DD)."""
    return {key: value.isoformat() if isinstance(value, date) else value
            for key, value in provider_values(provider).items()}


def to_yaml(providers: Sequence[Provider], *, is_sample: bool = False) -> str:
    """A YAML catalogue: `providers:` with one mapping per provider (empty fields left out)."""
    items = [{key: value for key, value in provider_values(p).items() if value not in (None, [], {})}
             for p in providers]
    body = yaml.safe_dump({"sample": is_sample, "providers": items}, allow_unicode=True, sort_keys=False, width=100)
    return (SAMPLE_HEADER if is_sample else "") + body


def to_csv(providers: Sequence[Provider]) -> str:
    """A CSV catalogue (delimiter ","; lists joined with "|"; yes/no as ja/nej; prices in price_<type> columns)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for provider in providers:
        values = provider_dict(provider)
        prices = values.pop("prices_per_day")
        assert isinstance(prices, dict)
        writer.writerow([_cell(prices.get(column.removeprefix(PRICE_PREFIX)) if column in PRICE_COLUMNS
                               else values.get(column)) for column in CSV_COLUMNS])
    return out.getvalue()


def _cell(value: object) -> str:
    """One CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, list):
        return "|".join(str(item) for item in value)
    return str(value)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
