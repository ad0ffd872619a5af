"""Loads config.yml and the environment into typed, frozen settings: the one reader of the file.

STIFINDER_CONFIG names the file (default: ./config.yml, else the one shipped with the package);
STIFINDER_DATABASE_URL overrides database.url. A missing or malformed key fails at start-up,
naming the key and never its value. The file is parsed once; the feature sections (reminders,
telegram, providers, caseworkers) are read from `Settings.optional(name)`, whose keys may be left
out (the default applies) but are type- and range-checked the same way.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from typing import Any, Mapping

import yaml

from knowledge import Emergency, Municipality, Office, Routing

# libyaml's safe loader when PyYAML has it (several times faster), else the pure-Python one.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

PACKAGE_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(Exception):
    """The configuration is missing or malformed."""


class Secret:
    """A secret string whose repr and str never show the value."""

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__


@dataclass(frozen=True, slots=True)
class RasaSettings:
    url: str
    token_env: str
    timeout_seconds: float


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the service needs, read once at start-up."""

    path: Path
    municipality: Municipality
    standard_dir: Path
    default_lang: str
    timezone: str
    database_url: str
    conversation_ttl_minutes: int
    nlu_backend: str
    nlu_threshold: float
    nlu_cache_dir: Path
    nlu_data_dir: Path
    rasa: RasaSettings
    var_dir: Path
    document: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def optional(self, name: str) -> OptionalSection:
        """A feature's section of the config file (absent: every key takes its default)."""
        raw = self.document.get(name)
        return OptionalSection({} if raw is None else raw, name, self.path.name)


def config_path(environ: Mapping[str, str] | None = None) -> Path:
    """Return the config file to read."""
    env = os.environ if environ is None else environ
    if env.get("STIFINDER_CONFIG"):
        return Path(env["STIFINDER_CONFIG"]).expanduser().resolve()
    local = Path.cwd() / "config.yml"
    return local if local.exists() else PACKAGE_ROOT / "config.yml"


def load_settings(path: Path | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Read the config file and apply environment overrides."""
    env = os.environ if environ is None else environ
    path = path or config_path(env)
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path} (set STIFINDER_CONFIG)") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path.name}: not valid YAML ({exc.__class__.__name__})") from None
    cfg = _Section(raw, "", path.name)
    base = path.parent
    var_dir = base / "var"
    muni = cfg.section("municipality")
    offices = {}
    for office_id in muni.section("offices").keys():
        office = muni.section("offices").section(office_id)
        offices[office_id] = Office(office_id, office.text("name"), office.text("phone"), office.text("source"),
                                    office.flag("verified", default=True))
    routing_cfg = muni.section("routing")
    routing = Routing(routing_cfg.integer("age_limit"), routing_cfg.text("adult_office"),
                      routing_cfg.text("young_office"), routing_cfg.text("general_office"))
    for key in ("adult_office", "young_office", "general_office"):
        if getattr(routing, key) not in offices:
            raise ConfigError(f"{path.name}: municipality.routing.{key} names no office in municipality.offices")
    for key in ("adult_office", "young_office"):
        # The routing rule is what citizens are told, and what an unverified office falls back to.
        if not offices[getattr(routing, key)].verified:
            raise ConfigError(f"{path.name}: municipality.routing.{key} names an office marked verified: false")
    emergency_cfg = cfg.section("emergency")
    emergency = Emergency(emergency_cfg.text("emergency_phone"), emergency_cfg.text("suicide_line_name"),
                          emergency_cfg.text("suicide_line_phone"))
    municipality = Municipality(muni.text("name"), muni.text("standard_title"), offices, routing, emergency,
                                standard_approved=muni.day("standard_approved"))
    locale = cfg.section("locale")
    nlu = cfg.section("nlu")
    rasa = nlu.section("rasa")
    backend = nlu.text("backend")
    if backend not in ("embedded", "rasa"):
        raise ConfigError(f"{path.name}: nlu.backend must be 'embedded' or 'rasa'")
    database_url = env.get("STIFINDER_DATABASE_URL") or cfg.section("database").text("url")
    return Settings(
        path=path,
        municipality=municipality,
        standard_dir=_resolve(muni.text("standard"), base),
        default_lang=locale.text("default"),
        timezone=cfg.text("timezone"),
        database_url=_sqlite_relative(async_database_url(database_url, path.name), base),
        conversation_ttl_minutes=cfg.section("privacy").integer("conversation_ttl_minutes"),
        nlu_backend=backend,
        nlu_threshold=nlu.number("threshold"),
        nlu_cache_dir=_resolve(nlu.text("cache_dir"), base),
        nlu_data_dir=PACKAGE_ROOT / "nlu" / "data",
        rasa=RasaSettings(rasa.text("url"), rasa.text("token_env"), rasa.number("timeout_seconds")),
        var_dir=var_dir,
        document=raw,
    )


def _resolve(value: str, base: Path) -> Path:
    if value.startswith("package:"):
        return PACKAGE_ROOT / value.removeprefix("package:")
    path = Path(value).expanduser()
    return path if path.is_absolute() else base / path


# The ordinary URL schemes and the async drivers Stifinder uses for them.
_ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "sqlite+aiosqlite": "sqlite+aiosqlite",
                  "postgresql": "postgresql+asyncpg", "postgres": "postgresql+asyncpg",
                  "postgresql+asyncpg": "postgresql+asyncpg"}
ACCEPTED_DATABASE_URLS = ("sqlite:///var/stifinder.db (a file, relative to config.yml or absolute with ////), "
                          "sqlite:// (in memory), postgresql://user[:password]@host[:port]/database; "
                          "also with +aiosqlite or +asyncpg")


def async_database_url(url: str, file: str = "config.yml") -> str:
    """Map an ordinary database URL to the async driver (sqlite:// → sqlite+aiosqlite://, postgresql:// →
    postgresql+asyncpg://); refuse one that cannot work, naming the accepted forms and never the URL (it may
    hold a password)."""
    scheme, separator, rest = url.strip().partition("://")
    driver = _ASYNC_DRIVERS.get(scheme.lower()) if separator else None
    if driver is None:
        shown = f"the scheme {scheme.lower()!r}" if separator and scheme.isascii() and len(scheme) < 40 else "it"
        raise ConfigError(f"{file}: database.url (or STIFINDER_DATABASE_URL) cannot be used: {shown} is not one "
                          f"Stifinder can use. Accepted: {ACCEPTED_DATABASE_URLS}")
    return f"{driver}://{rest}"


def _sqlite_relative(url: str, base: Path) -> str:
    """Make a relative SQLite path relative to the config file, not to the working directory."""
    prefix = "sqlite+aiosqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and url != "sqlite+aiosqlite://":
        rest = url.removeprefix(prefix)
        if rest and not rest.startswith(":memory:"):
            return prefix + str(base / rest)
    return url


class _Section:
    """A mapping in the config with typed getters that name the missing key."""

    def __init__(self, raw: Any, where: str, file: str) -> None:
        if not isinstance(raw, dict):
            raise ConfigError(f"{file}: '{where or 'top level'}' must be a mapping")
        self._raw = raw
        self._where = where
        self._file = file

    def _get(self, key: str) -> Any:
        if key not in self._raw or self._raw[key] is None:
            raise ConfigError(f"{self._file}: '{self._key(key)}' is missing, and has no default")
        return self._raw[key]

    def _key(self, key: str) -> str:
        return f"{self._where}.{key}" if self._where else key

    def keys(self) -> list[str]:
        return list(self._raw)

    def section(self, key: str) -> _Section:
        return _Section(self._get(key), self._key(key), self._file)

    def text(self, key: str) -> str:
        value = self._get(key)
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            raise ConfigError(f"{self._file}: '{self._key(key)}' must be a string")
        return str(value)

    def integer(self, key: str) -> int:
        value = self._get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise ConfigError(f"{self._file}: '{self._key(key)}' must be a whole number")
        return value

    def flag(self, key: str, default: bool) -> bool:
        if self._raw.get(key) is None:
            return default
        value = self._raw[key]
        if not isinstance(value, bool):
            raise ConfigError(f"{self._file}: '{self._key(key)}' must be true or false")
        return value

    def day(self, key: str) -> date:
        value = self._get(key)
        if not isinstance(value, date):
            raise ConfigError(f"{self._file}: '{self._key(key)}' must be a date written YYYY-MM-DD")
        return value

    def number(self, key: str) -> float:
        value = self._get(key)
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise ConfigError(f"{self._file}: '{self._key(key)}' must be a number")
        return float(value)


_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class OptionalSection:
    """A section whose keys may be left out (the default applies) but must have the right type and range;
    an error names the key, never its value."""

    def __init__(self, raw: Any, where: str, file: str) -> None:
        if not isinstance(raw, dict):
            raise ConfigError(f"{file}: '{where}' must be a mapping")
        self._raw, self._where, self._file = raw, where, file

    def _error(self, key: str, what: str) -> ConfigError:
        return ConfigError(f"{self._file}: '{self._where}.{key}' must be {what}")

    def section(self, key: str) -> OptionalSection:
        raw = self._raw.get(key)
        return OptionalSection({} if raw is None else raw, f"{self._where}.{key}", self._file)

    def get(self, key: str, kind: type[Any], default: Any) -> Any:
        """A value of one type (a bool is no number; a number is accepted as a string)."""
        value = self._raw.get(key)
        if value is None:
            return default
        if kind is str and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            raise self._error(key, f"a {kind.__name__}")
        return value

    def number(self, key: str, default: float, *, above: float | None = None, at_least: float | None = None,
               at_most: float | None = None) -> float:
        """A number, optionally above or at least a bound and at most another."""
        value = self._raw.get(key)
        if value is None:
            return float(default)
        bounds = (above is None or (isinstance(value, (int, float)) and value > above)) and \
                 (at_least is None or (isinstance(value, (int, float)) and value >= at_least)) and \
                 (at_most is None or (isinstance(value, (int, float)) and value <= at_most))
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not bounds:
            if above == 0 and at_most is None:
                raise self._error(key, "a positive number")
            if at_least == 0 and at_most is None:
                raise self._error(key, "a non-negative number")
            parts = [f"above {above:g}" if above is not None else "", f"at least {at_least:g}" if at_least is not None
                     else "", f"at most {at_most:g}" if at_most is not None else ""]
            raise self._error(key, "a number " + " and ".join(part for part in parts if part))
        return float(value)

    def positive(self, key: str, default: float) -> float:
        """A number above 0."""
        return self.number(key, default, above=0)

    def whole(self, key: str, default: int, low: int, high: int) -> int:
        """A whole number from `low` to `high`."""
        value = self._raw.get(key)
        if value is None:
            return default
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise self._error(key, f"a whole number from {low} to {high}")
        return value

    def time(self, key: str, default: str) -> time:
        """A quoted local time "HH:MM"."""
        value = self._raw.get(key, default)
        match = _TIME.match(value) if isinstance(value, str) else None
        if match is None:
            raise self._error(key, 'a quoted time "HH:MM"')
        return time(int(match.group(1)), int(match.group(2)))
