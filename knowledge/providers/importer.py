"""Read a catalogue file (CSV or YAML) into providers, checking every row; report every problem at once.

A file is read whole or not at all: `read_catalogue` either returns every provider or raises
CatalogueError with every problem found (line, field, what is wrong, and the nearest valid value
for an unknown one). The formats are described in docs/providers.md:

- CSV: UTF-8 (a byte-order mark is fine), a header row of field names, delimiter "," or ";" (or tab),
  told from the header; lists separated by "|" (or ";" when the delimiter is ","); prices in columns
  `price_<offer type>`, e.g. `price_doegn`.
- YAML: a list of providers, or a mapping with `providers:` (the list) and `sample: true` for sample data.

Messages are Danish: the people who fix the file are the municipality's staff.
"""

from __future__ import annotations

import csv
import difflib
import gc
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import TypeVar

import yaml

from knowledge.providers import models
from knowledge.providers.errors import CatalogueError, Problem
from knowledge.providers.record import (ContractStatus, DoegnProfile, MedicalStaff, OfferType, Ownership, Provider,
                                        Region, TargetGroup)

E = TypeVar("E", bound=StrEnum)

FIELDS = tuple(f.name for f in fields(Provider))
REQUIRED = ("id", "name", "ownership", "offer_types", "region", "municipality", "address", "socialtilsyn_approved",
            "intake_phone", "contract_status")
LIST_FIELDS = ("offer_types", "target_groups", "methods")
PRICE_PREFIX = "price_"
PRICE_COLUMNS = tuple(PRICE_PREFIX + offer.value for offer in OfferType)
CSV_COLUMNS = tuple(name for name in FIELDS if name != "prices_per_day") + PRICE_COLUMNS

# What a caseworker or a spreadsheet may write for a value, besides the value itself (after folding).
ALIASES: dict[type[StrEnum], dict[str, str]] = {
    OfferType: {"doegnbehandling": "doegn", "anonym": "anonym_101a", "substitutionsbehandling": "substitution",
                "opfoelgende": "opfoelgende_behandling", "efterbehandling": "opfoelgende_behandling"},
    Ownership: {"privat": "private", "selvejende": "self_owned_institution", "kommunal": "municipal_own",
                "anden_kommune": "other_municipality"},
}
LABELS: dict[type[StrEnum], str] = {
    OfferType: "tilbudstype", TargetGroup: "målgruppe", Region: "region", Ownership: "ejerform",
    ContractStatus: "kontraktstatus", DoegnProfile: "døgnprofil", MedicalStaff: "lægedækning",
}
TRUE_WORDS = {"ja", "j", "true", "yes", "y", "1", "x", "sand"}
FALSE_WORDS = {"nej", "n", "false", "no", "0", "falsk"}
TEXT_LENGTHS = {"id": models.ID_LENGTH, "name": models.NAME_LENGTH, "municipality": models.MUNICIPALITY_LENGTH,
                "address": models.ADDRESS_LENGTH, "intake_phone": models.PHONE_LENGTH,
                "tilbudsportalen_id": models.PORTAL_LENGTH}
MAX_AGE = 120
DEFAULT_AGE_MIN = 18


@dataclass(frozen=True, slots=True)
class ParsedCatalogue:
    """The providers of a file, in its order, and whether the file says it is sample data."""

    providers: list[Provider]
    is_sample: bool


@dataclass(slots=True)
class _Raw:
    """One record as written: its first line, its values by field, and the line of each field."""

    line: int
    values: dict[str, object]
    lines: dict[str, int] = field(default_factory=dict)
    reported: set[str] = field(default_factory=set)  # missing fields already reported once for the file

    def line_of(self, name: str) -> int:
        return self.lines.get(name, self.line)


def read_catalogue(path: Path, *, today: date | None = None) -> ParsedCatalogue:
    """Read and check a catalogue file; `today`, when given, refuses dates after it.

    Raises:
        CatalogueError: the file cannot be read or has bad rows; `problems` lists them all.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CatalogueError(path.name, [Problem(None, None, f"kan ikke læse filen ({exc.strerror})")]) from None
    return parse_catalogue(data, path.name, today=today)


def parse_catalogue(data: bytes, name: str, *, today: date | None = None) -> ParsedCatalogue:
    """Check and read the bytes of a catalogue file; the format comes from the name's suffix."""
    suffix = Path(name).suffix.lower()
    if suffix not in (".csv", ".yml", ".yaml"):
        raise CatalogueError(name, [Problem(None, None, f"ukendt filtype {suffix or '(ingen)'!r}: "
                                                        "brug .csv, .yml eller .yaml")])
    text = _decode(data, name)
    problems: list[Problem] = []
    if not text.strip():
        raise CatalogueError(name, [Problem(None, None, "filen er tom: der er ingen udbydere at importere")])
    if suffix == ".csv":
        records, is_sample = _csv_records(text, problems), False
    else:
        records, is_sample = _yaml_records(text, problems)
    if not records and not problems:
        problems.append(Problem(None, None, "filen har ingen udbydere (kun en overskrift eller en tom liste)"))
    providers = _providers(records, problems, today)
    if problems:
        raise CatalogueError(name, sorted(problems, key=lambda p: (p.line or 0, p.field or "")))
    return ParsedCatalogue(providers, is_sample)


def _decode(data: bytes, name: str) -> str:
    """Decode UTF-8 (with or without a byte-order mark); say where it breaks, and what it probably is."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        message = (f"filen er ikke UTF-8: byte 0x{data[exc.start]:02X} på position {exc.start} (linje {line}) "
                   "kan ikke læses")
        try:
            legacy = data.decode("cp1252")
        except UnicodeDecodeError:
            legacy = ""
        if any(letter in legacy for letter in "æøåÆØÅé"):
            message += ("; den ligner Windows-1252/ISO-8859-1 (sådan gemmer Excel 'CSV (semikolonsepareret)'). "
                        "Gem filen som 'CSV UTF-8' og importer igen")
        raise CatalogueError(name, [Problem(line, None, message)]) from None


# --- CSV ----------------------------------------------------------------------------------------------------------

def _csv_records(text: str, problems: list[Problem]) -> list[_Raw]:
    """The rows of a CSV file as records; header and row-shape problems go to `problems`."""
    header_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=header_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [cell.strip() for cell in next(reader)]
    except (StopIteration, csv.Error):
        problems.append(Problem(1, None, "kan ikke læse overskriftsrækken"))
        return []
    known = set(CSV_COLUMNS)
    columns: list[str | None] = []
    for written in header:
        name = _price_column(written)
        if name in known and name not in columns:
            columns.append(name)
        elif name in columns:
            problems.append(Problem(1, name, "kolonnen står der to gange"))
            columns.append(None)
        elif name == "":
            columns.append(None)
        else:
            problems.append(Problem(1, name, "ukendt kolonne" + _suggestion(name, CSV_COLUMNS)))
            columns.append(None)
    missing = [name for name in REQUIRED if name not in columns]
    for name in missing:
        problems.append(Problem(1, name, "kolonnen mangler (den skal være der)"))
    records: list[_Raw] = []
    line = reader.line_num
    try:
        for cells in reader:
            start, line = line + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            extra = cells[len(columns):]
            if len(cells) < len(columns) or any(cell.strip() for cell in extra):
                problems.append(Problem(start, None, f"rækken har {len(cells)} felter, men overskriften har "
                                        f"{len(columns)} (mangler et skilletegn '{delimiter}' "
                                        "eller et anførselstegn?)"))
                continue
            values: dict[str, object] = {name: cell for name, cell in zip(columns, cells) if name is not None}
            prices = {column.removeprefix(PRICE_PREFIX): values.pop(column) for column in PRICE_COLUMNS
                      if column in values}
            values["prices_per_day"] = prices
            records.append(_Raw(start, values, reported=set(missing)))
    except csv.Error as exc:
        problems.append(Problem(reader.line_num, None, f"CSV-fejl: {exc}"))
    return records


# --- YAML ---------------------------------------------------------------------------------------------------------

class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]  # libyaml when there
    """The safe loader without implicit dates and numbers: they stay text and are read field by field, so a
    bad date is a problem with a line (not a crash), and a phone number 00000002 keeps its zeros (YAML 1.1
    would read it as the octal number 2)."""


_TEXT_TAGS = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _TEXT_TAGS]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _yaml_records(text: str, problems: list[Problem]) -> tuple[list[_Raw], bool]:
    """The items of a YAML file as records, with the line of every field; and whether it is marked as sample."""
    loader = _Loader(text)
    collecting = gc.isenabled()
    gc.disable()  # the many node objects of a long file make the cyclic collector run again and again (4x slower)
    try:  # compose once for the lines, then build the values from the same nodes
        root = loader.get_single_node()
        data = None if root is None else loader.construct_document(root)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        what = getattr(exc, "problem", None) or str(exc)
        problems.append(Problem(mark.line + 1 if mark else None, None, f"YAML-fejl: {what}"))
        return [], False
    finally:
        loader.dispose()
        if collecting:
            gc.enable()
    is_sample = False
    items_node = root
    if isinstance(data, dict) and isinstance(root, yaml.MappingNode):
        unknown = sorted(str(key) for key in data if key not in ("providers", "sample", "description"))
        for key in unknown:
            problems.append(Problem(1, key, "ukendt nøgle øverst i filen (kendte: providers, sample, description)"))
        sample = data.get("sample", False)
        if not isinstance(sample, bool):
            problems.append(Problem(1, "sample", f"ikke ja/nej (true/false): {_show(sample)}"))
        is_sample = sample is True
        data = data.get("providers")
        items_node = next((value for key, value in root.value if key.value == "providers"), None)
        if data is None:
            problems.append(Problem(1, "providers", "mangler: listen af udbydere"))
            return [], is_sample
    if not isinstance(data, list) or not isinstance(items_node, yaml.SequenceNode):
        line = items_node.start_mark.line + 1 if items_node is not None else None
        problems.append(Problem(line, None, "filen skal være en liste af udbydere (eller providers: med en liste)"))
        return [], is_sample
    records: list[_Raw] = []
    for item, node in zip(data, items_node.value):
        line = node.start_mark.line + 1
        if not isinstance(item, dict) or not isinstance(node, yaml.MappingNode):
            problems.append(Problem(line, None, "en udbyder skal skrives som felter (navn: værdi)"))
            continue
        lines = {str(key.value): key.start_mark.line + 1 for key, _ in node.value}
        for key, value_node in node.value:  # the lines of nested keys: prices_per_day.doegn
            if isinstance(value_node, yaml.MappingNode):
                lines.update({f"{key.value}.{inner.value}": inner.start_mark.line + 1 for inner, _ in value_node.value})
        values: dict[str, object] = {}
        for key, value in item.items():
            name = str(key)
            if name in FIELDS:
                values[name] = value
            else:
                problems.append(Problem(lines.get(name, line), name, "ukendt felt" + _suggestion(name, FIELDS)))
        records.append(_Raw(line, values, lines))
    return records, is_sample


# --- Records to providers -----------------------------------------------------------------------------------------

def _providers(records: list[_Raw], problems: list[Problem], today: date | None) -> list[Provider]:
    """Check every record; return the providers (complete only when no problem was found)."""
    providers: list[Provider] = []
    first_line: dict[str, int] = {}
    for raw in records:
        written = raw.values.get("id")
        key = str(written).strip() if isinstance(written, (str, int)) and not isinstance(written, bool) else ""
        if key and key in first_line:  # a duplicate even when the other row has problems of its own
            problems.append(Problem(raw.line_of("id"), "id",
                                    f"id {_show(key)} findes allerede i linje {first_line[key]}"))
        elif key:
            first_line[key] = raw.line_of("id")
        provider = _Record(raw, problems, today).provider()
        if provider is not None:
            providers.append(provider)
    return providers


class _Record:
    """Reads the fields of one record, adding a problem for every bad one."""

    def __init__(self, raw: _Raw, problems: list[Problem], today: date | None) -> None:
        self.raw = raw
        self.problems = problems
        self.today = today
        self.bad = False

    def provider(self) -> Provider | None:
        """The provider of the record, or None when a field is bad (its problems are added)."""
        offers = self.choices("offer_types", OfferType, required=True)
        age_min = self.integer("age_min", maximum=MAX_AGE)
        age_max = self.integer("age_max", maximum=MAX_AGE)
        lowest = DEFAULT_AGE_MIN if age_min is None else age_min
        if age_max is not None and lowest > age_max:
            self.problem("age_max", f"{age_max} er mindre end age_min {lowest}"
                         + ("" if age_min is not None else " (standard, når age_min er tom)"))
        doegn_profile = self.choice("doegn_profile", DoegnProfile)
        if doegn_profile is not None and OfferType.DOEGN not in offers:
            self.problem("doegn_profile", "en døgnprofil kræver tilbudstypen doegn i offer_types")
        capacity = self.integer("capacity_places")
        free_places = self.integer("free_places")
        if capacity is not None and free_places is not None and free_places > capacity:
            self.problem("free_places", f"{free_places} ledige pladser, men capacity_places er {capacity}")
        free_updated = self.day("free_places_updated")
        waiting = self.integer("waiting_time_days")
        waiting_updated = self.day("waiting_time_updated")
        for value, updated, name in ((free_places, free_updated, "free_places_updated"),
                                     (waiting, waiting_updated, "waiting_time_updated")):
            if value is not None and updated is None and self._empty(name):
                self.problem(name, "mangler: datoen hvor tallet sidst blev opdateret (ÅÅÅÅ-MM-DD)")
        values = dict(
            id=self.text("id", required=True), name=self.text("name", required=True),
            ownership=self.choice("ownership", Ownership, required=True), offer_types=offers,
            region=self.choice("region", Region, required=True), municipality=self.text("municipality", required=True),
            address=self.text("address", required=True),
            socialtilsyn_approved=self.boolean("socialtilsyn_approved", required=True),
            tilbudsportalen_id=self.text("tilbudsportalen_id"), intake_phone=self.phone("intake_phone"),
            contract_status=self.choice("contract_status", ContractStatus, required=True),
            is_primary=self.boolean("is_primary"), doegn_profile=doegn_profile,
            target_groups=self.choices("target_groups", TargetGroup), age_min=lowest,
            age_max=age_max, methods=tuple(self.strings("methods")),
            medical_staff=self.choice("medical_staff", MedicalStaff) or MedicalStaff.NONE,
            dual_diagnosis=self.boolean("dual_diagnosis"), capacity_places=capacity, free_places=free_places,
            free_places_updated=free_updated, waiting_time_days=waiting, waiting_time_updated=waiting_updated,
            prices_per_day=self.prices(offers), board_and_lodging_per_day=self.integer("board_and_lodging_per_day"),
            payment_unplanned_end=self.text("payment_unplanned_end", length=2000),
            distance_km=self.integer("distance_km"),
        )
        if self.bad:
            return None
        return Provider(**values)  # type: ignore[arg-type]  # every value was checked above

    # -- helpers, one per kind of value

    def problem(self, name: str, message: str) -> None:
        self.bad = True
        self.problems.append(Problem(self.raw.line_of(name), name, message))

    def _empty(self, name: str) -> bool:
        """Whether the field is not written at all (as opposed to written badly)."""
        value = self.raw.values.get(name)
        return value is None or (isinstance(value, str) and not value.strip())

    def value(self, name: str, required: bool = False) -> object | None:
        """The written value, None when empty; a missing required field is a problem."""
        value = self.raw.values.get(name)
        if isinstance(value, str):
            value = value.strip() or None
        if value is None and required:
            if name in self.raw.reported:
                self.bad = True  # the missing column was reported once, on line 1
            else:
                self.problem(name, "mangler (feltet skal udfyldes)")
        return value

    def text(self, name: str, required: bool = False, length: int | None = None) -> str | None:
        value = self.value(name, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            self.problem(name, f"skal være tekst: {_show(value)}")
            return None
        text = str(value)
        limit = length or TEXT_LENGTHS.get(name, 200)
        if len(text) > limit:
            self.problem(name, f"for lang tekst: {len(text)} tegn, højst {limit}")
            return None
        return text

    def phone(self, name: str) -> str | None:
        phone = self.text(name, required=True)
        if phone is None:
            return None
        digits = re.sub(r"[\s.\-]", "", phone)
        digits = digits.removeprefix("+45").removeprefix("0045") if len(digits) > 8 else digits
        if not re.fullmatch(r"\d{8}", digits):
            self.problem(name, f"ikke et dansk telefonnummer med 8 cifre: {_show(phone)}")
            return None
        return phone

    def integer(self, name: str, required: bool = False, maximum: int | None = None) -> int | None:
        value = self.value(name, required)
        return None if value is None else self.number(name, value, maximum)

    def number(self, name: str, value: object, maximum: int | None = None) -> int | None:
        """A whole number, not negative (Danish thousands separators are fine: 1.500)."""
        number: int | None = None
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, str):
            plain = value.replace(" ", "")
            if re.fullmatch(r"-?\d{1,3}(\.\d{3})+", plain):
                plain = plain.replace(".", "")
            if re.fullmatch(r"-?\d+", plain):
                number = int(plain)
        if number is None:
            self.problem(name, f"ikke et helt tal: {_show(value)}")
            return None
        if number < 0:
            self.problem(name, f"må ikke være negativ: {number}")
            return None
        if maximum is not None and number > maximum:
            self.problem(name, f"for stor: {number} (højst {maximum})")
            return None
        return number

    def boolean(self, name: str, required: bool = False) -> bool:
        value = self.value(name, required)
        if value is None or isinstance(value, bool):
            return bool(value)
        if isinstance(value, (str, int)):
            word = str(value).strip().casefold()
            if word in TRUE_WORDS:
                return True
            if word in FALSE_WORDS:
                return False
        self.problem(name, f"ikke ja/nej: {_show(value)}")
        return False

    def day(self, name: str) -> date | None:
        value = self.value(name)
        if value is None:
            return None
        found: date | None = None
        if isinstance(value, datetime):
            found = value.date()
        elif isinstance(value, date):
            found = value
        elif isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            try:
                found = date.fromisoformat(value)
            except ValueError:
                found = None
        if found is None:
            self.problem(name, f"ikke en dato skrevet ÅÅÅÅ-MM-DD: {_show(value)}")
            return None
        if self.today is not None and found > self.today:
            self.problem(name, f"{found.isoformat()} ligger efter i dag ({self.today.isoformat()})")
            return None
        return found

    def choice(self, name: str, enum: type[E], required: bool = False) -> E | None:
        value = self.value(name, required)
        if value is None:
            return None
        return self._member(name, enum, value)

    def _member(self, name: str, enum: type[E], value: object) -> E | None:
        found = _lookup(enum, str(value)) if isinstance(value, str) else None
        if found is None:
            valid = [member.value for member in enum]
            hint = _suggestion(str(value), valid, extra=ALIASES.get(enum, {}))
            self.problem(name, f"ukendt {LABELS[enum]} {_show(value)}" + (hint or f" (gyldige: {', '.join(valid)})"))
        return found

    def strings(self, name: str) -> list[str]:
        value = self.value(name)
        if value is None:
            return []
        items: list[object] = list(value) if isinstance(value, list) else _split(value) if isinstance(value, str) \
            else [value]
        texts = []
        for item in items:
            if isinstance(item, bool) or not isinstance(item, (str, int)) or not str(item).strip():
                self.problem(name, f"ikke en liste af tekster: {_show(value)}")
                return []
            texts.append(str(item).strip())
        return texts

    def choices(self, name: str, enum: type[E], required: bool = False) -> frozenset[E]:
        if self.value(name, required) is None:
            return frozenset()
        before = len(self.problems)
        written = self.strings(name)
        if not written and required and len(self.problems) == before:
            self.problem(name, "mangler (feltet skal udfyldes)")
        members = [self._member(name, enum, item) for item in written]
        return frozenset(member for member in members if member is not None)

    def prices(self, offers: frozenset[OfferType]) -> dict[OfferType, int]:
        """Prices per day by offer type (CSV: price_<type> columns; YAML: prices_per_day: {type: kr})."""
        value = self.raw.values.get("prices_per_day")
        if value is None:
            return {}
        csv_style = "prices_per_day" not in self.raw.lines
        if not isinstance(value, Mapping):
            self.problem("prices_per_day", f"skal være tilbudstype: pris pr. dag, fx doegn: 2450; ikke {_show(value)}")
            return {}
        prices: dict[OfferType, int] = {}
        for key, written in value.items():
            label = f"{PRICE_PREFIX}{key}" if csv_style else f"prices_per_day.{key}"
            offer = _lookup(OfferType, str(key))
            if offer is None:
                self.problem(label, f"ukendt tilbudstype {_show(key)}"
                             + _suggestion(str(key), [o.value for o in OfferType], extra=ALIASES[OfferType]))
                continue
            if written is None or (isinstance(written, str) and not written.strip()):
                continue
            price = self.number(label, written)
            if price is None:
                continue
            if offer not in offers:
                self.problem(label, f"pris for {offer.value}, men udbyderen har ikke tilbudstypen {offer.value} "
                                    "i offer_types")
                continue
            prices[offer] = price
        return prices


def _price_column(name: str) -> str:
    """The canonical name of a price column (price_døgn, price_doegnbehandling: price_doegn); others unchanged."""
    if name.casefold().startswith(PRICE_PREFIX):
        offer = _lookup(OfferType, name[len(PRICE_PREFIX):])
        if offer is not None:
            return PRICE_PREFIX + offer.value
    return name


def _split(text: str) -> list[object]:
    """Split a list written in one cell: "a|b" or "a; b"."""
    return [part.strip() for part in re.split(r"[|;]", text) if part.strip()]


def _fold(text: str) -> str:
    """Fold a written value for lookup: case, Danish letters, spaces and hyphens, a leading "Region"."""
    folded = text.strip().casefold().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    folded = re.sub(r"[\s\-]+", "_", folded)
    return folded.removeprefix("region_")


def _lookup(enum: type[E], text: str) -> E | None:
    """The member the text names (its value, its name or an alias, folded), or None."""
    found = _names(enum).get(_fold(text))
    return None if found is None else enum(found)


@cache
def _names(enum: type[StrEnum]) -> dict[str, str]:
    """Every folded way to write a member (value, name, alias), to the member's value."""
    names = {_fold(alias): value for alias, value in ALIASES.get(enum, {}).items()}
    names.update({member.name.casefold(): member.value for member in enum})
    names.update({_fold(member.value): member.value for member in enum})
    return names


def _suggestion(written: str, valid: Iterator[str] | tuple[str, ...] | list[str],
                extra: Mapping[str, str] | None = None) -> str:
    """"; mente du 'x'?" for the nearest valid value, or "" when nothing is near."""
    candidates = {_fold(value): value for value in valid}
    for alias, value in (extra or {}).items():
        candidates.setdefault(alias, value)
    near = difflib.get_close_matches(_fold(written), list(candidates), n=1, cutoff=0.6)
    return f"; mente du {candidates[near[0]]!r}?" if near else ""


def _show(value: object) -> str:
    """A written value as it is quoted in a message (shortened)."""
    text = value if isinstance(value, str) else str(value)
    return repr(text if len(text) <= 40 else text[:37] + "...")

