"""`stifinder providers import|list|export`: the provider catalogue from the command line.

Each command is one unit of work on the database of STIFINDER_DATABASE_URL (or database.url), as in
bot/cli/cases.py. An import replaces the whole catalogue (the sample too) in one transaction, or
nothing at all: a bad file prints every problem (line, field, what is wrong) on stderr and exits 1.
Messages are Danish, unlike the English of `cases`: the people who import are the municipality's
staff fixing a Danish spreadsheet, and the problems name its Danish content. The database and the
catalogue modules are imported only when one of these commands runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo

from bot.config import Settings

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from knowledge.providers import CatalogueInfo, Provider

T = TypeVar("T")
FORMATS = ("yaml", "csv")


def add_parsers(sub: Any) -> None:
    """Add the `providers` subcommand to the top-level subparsers."""
    providers = sub.add_parser("providers", help="import, list and export the provider catalogue")
    providers_sub = providers.add_subparsers(dest="providers_command", required=True)
    imp = providers_sub.add_parser(
        "import", help="replace the catalogue with a CSV or YAML file (all or nothing)",
        description="FILE is .csv (UTF-8, header row) or .yml/.yaml; docs/providers.md describes the formats. "
        "Every bad row is reported with its line and field, and nothing is imported then.")
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument("--dry-run", action="store_true", help="only check the file; change nothing")
    imp.set_defaults(func=providers_import)
    lst = providers_sub.add_parser("list", help="show the catalogue as a compact table")
    lst.add_argument("--json", action="store_true", help="print the catalogue and every field of every provider")
    lst.set_defaults(func=providers_list)
    exp = providers_sub.add_parser("export", help="write the catalogue as YAML or CSV (importable again)")
    exp.add_argument("file", type=Path, nargs="?", metavar="FILE", help="the file to write (default: stdout)")
    exp.add_argument("--format", choices=FORMATS, help="default: from FILE's suffix, else yaml")
    exp.set_defaults(func=providers_export)


def providers_import(args: argparse.Namespace, settings: Settings) -> int:
    """Check a catalogue file and, unless --dry-run, replace the stored catalogue with it."""
    from knowledge.providers import CatalogueError, read_catalogue, replace_catalogue

    path: Path = args.file
    try:
        parsed = read_catalogue(path, today=datetime.now(ZoneInfo(settings.timezone)).date())
    except CatalogueError as exc:
        print(f"stifinder providers import: {path.name}: {len(exc.problems)} fejl; intet er importeret",
              file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    sample = " (eksempeldata)" if parsed.is_sample else ""
    if args.dry_run:
        print(f"{path.name} er i orden: {len(parsed.providers)} udbydere{sample}; intet er importeret (--dry-run)")
        return 0

    async def work(session: AsyncSession) -> CatalogueInfo:
        return await replace_catalogue(session, parsed.providers, path.name, is_sample=parsed.is_sample,
                                       now=datetime.now(timezone.utc))

    info = _run(settings, "providers import", work)
    print(f"importerede {info.count} udbydere fra {path.name}{sample}")
    return 0


def providers_list(args: argparse.Namespace, settings: Settings) -> int:
    """Print the catalogue: a compact table, or JSON with every field."""
    from knowledge.providers import catalogue_info, load_providers, provider_dict

    async def work(session: AsyncSession) -> tuple[CatalogueInfo | None, list[Provider]]:
        return await catalogue_info(session), await load_providers(session)

    info, providers = _run(settings, "providers list", work)
    if args.json:
        about = None if info is None else {"source": info.source, "imported_at": info.imported_at.isoformat(),
                                           "is_sample": info.is_sample, "count": info.count}
        print(json.dumps({"catalogue": about, "providers": [provider_dict(p) for p in providers]},
                         ensure_ascii=False, indent=2))
        return 0
    print(_describe(info))
    if providers:
        print(_table(providers))
    return 0


def providers_export(args: argparse.Namespace, settings: Settings) -> int:
    """Write the catalogue as YAML or CSV to FILE or stdout."""
    from knowledge.providers import catalogue_info, load_providers, to_csv, to_yaml

    path: Path | None = args.file
    form = args.format or ("csv" if path is not None and path.suffix.lower() == ".csv" else "yaml")

    async def work(session: AsyncSession) -> tuple[CatalogueInfo | None, list[Provider]]:
        return await catalogue_info(session), await load_providers(session)

    info, providers = _run(settings, "providers export", work)
    text = to_csv(providers) if form == "csv" else to_yaml(providers, is_sample=bool(info and info.is_sample))
    if path is None:
        sys.stdout.write(text)
        return 0
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        print(f"stifinder providers export: kan ikke skrive {path} ({exc.strerror})", file=sys.stderr)
        return 1
    print(f"eksporterede {len(providers)} udbydere til {path.name} ({form})")
    return 0


def _describe(info: CatalogueInfo | None) -> str:
    """One line about the catalogue: its source, whether it is sample data, when and how many."""
    if info is None:
        return "Intet udbyderkatalog er indlæst."
    sample = " – EKSEMPELDATA, ikke kommunens rigtige katalog" if info.is_sample else ""
    return (f"Katalog: {info.source}{sample}; indlæst {info.imported_at.astimezone(timezone.utc):%Y-%m-%d %H:%M} UTC; "
            f"{info.count} udbydere")


def _table(providers: list[Provider]) -> str:
    """A compact table: id, name, offer types, region, waiting time with its date, intake phone."""
    from knowledge.providers.catalogue import sorted_offers

    rows = [("id", "navn", "tilbud", "region", "ventetid", "telefon")]
    for p in providers:
        waiting = "-" if p.waiting_time_days is None else (
            f"{p.waiting_time_days} d ({p.waiting_time_updated.isoformat() if p.waiting_time_updated else '?'})")
        name = p.name + (" *" if p.is_primary else "")
        rows.append((p.id, name, ",".join(o.value for o in sorted_offers(p.offer_types)), p.region.value, waiting,
                     p.intake_phone))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    widths[1] = min(widths[1], 44)  # only a long name is cut
    lines = ["  ".join(cell[:width].ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]
    return "\n".join(lines + ["* kommunens primære leverandør"] if any(p.is_primary for p in providers) else lines)


def _run(settings: Settings, command: str, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run one unit of work (one transaction) on the database; exit 1 when the database cannot be used."""
    from sqlalchemy.exc import SQLAlchemyError

    from bot.storage import in_one_transaction

    try:
        return asyncio.run(in_one_transaction(settings.database_url, work))
    except (OSError, SQLAlchemyError) as exc:
        # The URL may hold a password: name the kind of failure only.
        print(f"stifinder {command}: kan ikke bruge databasen ({exc.__class__.__name__}); "
              "se STIFINDER_DATABASE_URL eller database.url", file=sys.stderr)
        raise SystemExit(1) from None
