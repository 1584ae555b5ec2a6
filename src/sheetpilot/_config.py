"""The TOML configuration, loaded once into pydantic models and passed down.

The environment is read here and only here, and only for what the user asked:
`GOOGLE_APPLICATION_CREDENTIALS` when `[google] credentials` is not set,
`SHEETPILOT_GOOGLE_ENDPOINT` when `[google] endpoint` is not set.

>>> parse_every("5m"), parse_every("30s"), parse_every("1.5h")
(300.0, 30.0, 5400.0)
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from sheetpilot._errors import ConfigError, Lines, Phrase
from sheetpilot._i18n import N_
from sheetpilot._template import Locale

_EVERY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h)\s*$")
_UNIT_SECONDS = {"s": 1.0, "m": 60.0, "h": 3600.0}
DEFAULT_HISTORY = "sheetpilot-history.sqlite"


class Invalid(ValueError):
    """A configuration value is wrong; the reason is a message said in the reader's language."""

    def __init__(self, message: str, /, **params: object) -> None:
        self.phrase = Phrase(message, **params)
        super().__init__(str(self.phrase))


def parse_every(text: str) -> float:
    """`30s`, `5m`, `1h` → seconds."""
    m = _EVERY.match(text)
    if not m:
        raise Invalid(
            N_("{text!r} is not an interval: use a number and a unit, like 30s, 5m or 1h"),
            text=text,
        )
    seconds = float(m.group(1)) * _UNIT_SECONDS[m.group(2)]
    if seconds <= 0:
        raise Invalid(N_("{text!r} must be longer than zero"), text=text)
    return seconds


def _check_timezone(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise Invalid(
            N_("unknown time zone {value!r} (use a name like 'Europe/Paris')"), value=value
        ) from exc
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GoogleConfig(_Strict):
    credentials: str | None = None  # service-account or authorized-user JSON; "none"; None = ADC
    endpoint: str | None = None  # another base URL for Sheets and Drive
    timeout: float = Field(default=30.0, gt=0)  # seconds per HTTP attempt
    retry_deadline: float = Field(default=120.0, gt=0)  # retries of one request: the daemon
    cli_retry_deadline: float = Field(default=30.0, gt=0)  # the same for init/sync/check


class XlsxConfig(_Strict):
    backup: bool = True  # keep the version a write replaces as NAME.sheetpilot-previous.xlsx


def _is_postgres(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


class DaemonConfig(_Strict):
    history: Path | None = None  # default: sheetpilot-history.sqlite next to the config file
    reads_per_minute: int = Field(default=60, ge=1)
    writes_per_minute: int = Field(default=60, ge=1)
    timezone: str = "UTC"
    shutdown_grace: float = Field(default=30.0, ge=0)  # seconds in-flight syncs get on SIGTERM
    history_keep: int = Field(default=1000, ge=1)  # runs kept per plan
    # Change detection (DESIGN.md §5): Drive requests per minute, a budget apart from Sheets;
    # a sync at least every max_interval even without edits; Prometheus metrics on listen.
    drive_requests_per_minute: int = Field(default=1000, ge=1)
    max_interval: str = "6h"
    listen: str | None = None  # "127.0.0.1:9464": /metrics and /healthz
    # A fleet: "postgresql://user@host/db" shares plans (leases), history, status and the
    # quota among every daemon reading this configuration. Default: the SQLite history file
    # (`history`; a path given here means the same).
    database: str | None = None
    lease_time: str = "60s"  # a dead member's plans move to the others after this

    _tz = field_validator("timezone")(_check_timezone)

    @field_validator("max_interval")
    @classmethod
    def _max_interval(cls, value: str) -> str:
        parse_every(value)
        return value

    @field_validator("listen")
    @classmethod
    def _listen(cls, value: str | None) -> str | None:
        if value is not None:
            host, sep, port = value.rpartition(":")
            if not sep or not host or not port.isdigit() or not 0 <= int(port) <= 65535:
                raise Invalid(
                    N_(
                        "{value!r} is not an address to listen on: use host:port, like 127.0.0.1:9464"
                    ),
                    value=value,
                )
        return value

    @field_validator("lease_time")
    @classmethod
    def _lease_time(cls, value: str) -> str:
        parse_every(value)
        return value

    @field_validator("database")
    @classmethod
    def _database(cls, value: str | None) -> str | None:
        if value is not None and "://" in value and not _is_postgres(value):
            raise Invalid(
                N_(
                    "{scheme}:// is not a database sheetpilot knows: give a PostgreSQL URL "
                    "(postgresql://user@host/db) or the path of an SQLite file"
                ),
                scheme=value.split("://")[0],
            )
        return value

    @model_validator(mode="after")
    def _one_history(self) -> DaemonConfig:
        if self.history is not None and self.database is not None:
            raise Invalid(N_("give `history` or `database`, not both"))
        return self

    @property
    def postgres(self) -> str | None:
        """The fleet's PostgreSQL URL, None for the SQLite history of one process."""
        return self.database if self.database and _is_postgres(self.database) else None

    @property
    def max_interval_seconds(self) -> float:
        return parse_every(self.max_interval)

    @property
    def lease_seconds(self) -> float:
        return parse_every(self.lease_time)


class PlanConfig(_Strict):
    name: str = Field(min_length=1)
    path: Path | None = None
    spreadsheet: str | None = None
    locale: Locale | None = None
    every: str | None = None
    cron: str | None = None
    timezone: str | None = None
    # Let sheetpilot own tabs named like its own that hold content it did not write
    # (the `--adopt` of `init` and `sync`, for every run of this plan).
    adopt: bool = False

    _tz = field_validator("timezone")(_check_timezone)

    @field_validator("every")
    @classmethod
    def _every(cls, value: str | None) -> str | None:
        if value is not None:
            parse_every(value)
        return value

    @field_validator("cron")
    @classmethod
    def _cron(cls, value: str | None) -> str | None:
        if value is not None and len(value.split()) != 5:
            raise Invalid(
                N_("{value!r} is not a cron expression: use five fields, like '*/10 8-19 * * 1-5'"),
                value=value,
            )
        return value

    @model_validator(mode="after")
    def _one_target(self) -> PlanConfig:
        if (self.path is None) == (self.spreadsheet is None):
            raise Invalid(
                N_("give exactly one of `path` (a local .xlsx) or `spreadsheet` (key or URL)")
            )
        if self.every is not None and self.cron is not None:
            raise Invalid(N_("give `every` or `cron`, not both"))
        return self

    @property
    def target(self) -> str:
        return str(self.path) if self.path is not None else str(self.spreadsheet)

    @property
    def every_seconds(self) -> float | None:
        return parse_every(self.every) if self.every is not None else None


class Config(_Strict):
    google: GoogleConfig = GoogleConfig()
    xlsx: XlsxConfig = XlsxConfig()
    daemon: DaemonConfig = DaemonConfig()
    plans: tuple[PlanConfig, ...] = ()
    source: Path | None = None  # the file it was loaded from

    @model_validator(mode="after")
    def _unique_names(self) -> Config:
        seen: set[str] = set()
        for plan in self.plans:
            if plan.name in seen:
                raise Invalid(
                    N_("two plans are named {name!r}: plan names must be unique"), name=plan.name
                )
            seen.add(plan.name)
        return self

    def plan(self, name: str) -> PlanConfig:
        for plan in self.plans:
            if plan.name == name:
                return plan
        known = ", ".join(p.name for p in self.plans) or "none"
        raise ConfigError(
            "no plan named {name!r} in {source}: known plans: {known}",
            name=name,
            source=self.source,
            known=known,
        )

    @property
    def history_path(self) -> Path:
        base = self.source.parent if self.source else Path.cwd()
        if self.daemon.database is not None and self.daemon.postgres is None:
            return base / self.daemon.database
        return self.daemon.history or base / DEFAULT_HISTORY


def _location(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


# Pydantic's own checks, said in the reader's language (any other: pydantic's English).
_PYDANTIC: dict[str, str] = {
    "greater_than_equal": N_("must be at least {ge}"),
    "greater_than": N_("must be more than {gt}"),
    "less_than_equal": N_("must be at most {le}"),
    "int_parsing": N_("must be a whole number"),
    "int_type": N_("must be a whole number"),
    "int_from_float": N_("must be a whole number"),
    "float_parsing": N_("must be a number"),
    "float_type": N_("must be a number"),
    "bool_parsing": N_("must be true or false"),
    "bool_type": N_("must be true or false"),
    "string_type": N_("must be text (in quotes)"),
    "missing": N_("is required"),
    "literal_error": N_("must be one of {expected}"),
}


def _problem(err: Any) -> Phrase:
    """What is wrong with one key, in words; a misspelt key gets the list of known ones."""
    kind = str(err["type"])
    ctx = err.get("ctx") or {}
    error = ctx.get("error")
    if kind == "value_error" and isinstance(error, Invalid):
        return error.phrase
    if kind in _PYDANTIC:
        return Phrase(_PYDANTIC[kind], **{k: v for k, v in ctx.items() if k != "error"})
    if kind != "extra_forbidden":
        return Phrase(str(err["msg"]).removeprefix("Value error, "))
    section = [part for part in err["loc"][:-1] if isinstance(part, str)]
    models: dict[str, type[BaseModel]] = {
        "google": GoogleConfig,
        "xlsx": XlsxConfig,
        "daemon": DaemonConfig,
        "plans": PlanConfig,
    }
    model = models.get(section[0], Config) if section else Config
    known = ", ".join(name for name in model.model_fields if name != "source")
    return Phrase(N_("unknown key (check its spelling; known keys here: {known})"), known=known)


def config_from_dict(
    data: Mapping[str, Any], *, source: Path | None = None, env: Mapping[str, str] | None = None
) -> Config:
    """Validate a configuration mapping; errors name the key at fault."""
    env = env or {}
    raw = dict(data)
    google = dict(raw.get("google") or {})
    if google.get("credentials") is None and env.get("GOOGLE_APPLICATION_CREDENTIALS"):
        google["credentials"] = env["GOOGLE_APPLICATION_CREDENTIALS"]
    if google.get("endpoint") is None and env.get("SHEETPILOT_GOOGLE_ENDPOINT"):
        google["endpoint"] = env["SHEETPILOT_GOOGLE_ENDPOINT"]
    raw["google"] = google
    base = source.parent if source else None
    if base is not None:
        cred = google.get("credentials")
        if isinstance(cred, str) and cred != "none" and not Path(cred).is_absolute():
            google["credentials"] = str(base / cred)
        daemon = dict(raw.get("daemon") or {})
        if isinstance(daemon.get("history"), str) and not Path(daemon["history"]).is_absolute():
            daemon["history"] = str(base / daemon["history"])
        raw["daemon"] = daemon
        plans = []
        for plan in raw.get("plans") or []:
            if isinstance(plan, dict) and isinstance(plan.get("path"), str):
                plan = {**plan}
                if not Path(plan["path"]).is_absolute():
                    plan["path"] = str(base / plan["path"])
            plans.append(plan)
        raw["plans"] = plans
    raw["source"] = source
    try:
        return Config.model_validate(raw)
    except ValidationError as exc:
        problems = Lines(
            [
                Phrase("{key}: {problem}", key=_location(err["loc"]), problem=_problem(err))
                for err in exc.errors()
            ]
        )
        if source:
            raise ConfigError(
                "invalid configuration in {source}:\n  {problems}", source=source, problems=problems
            ) from None
        raise ConfigError("invalid configuration:\n  {problems}", problems=problems) from None


def read_user_file(path: Path, what: str, *, missing: str) -> str:
    """The UTF-8 text of a file the user named (`what`: "configuration file", ...).

    Every failure is a ConfigError naming the file: `missing` when it does not exist,
    the system's reason when it cannot be read, and a hint when it is not UTF-8 text
    (saved as Latin-1, or a workbook given in its place). Never its content.
    """
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(missing) from None
    except OSError as exc:
        raise ConfigError(
            "cannot read {what} {path}: {value}", what=what, path=path, value=exc.strerror or exc
        ) from None
    except UnicodeDecodeError:
        raise ConfigError(
            "{path} is not UTF-8 text: is it the {what}? If so, save it as UTF-8",
            path=path,
            what=what,
        ) from None


def load_config(path: Path, env: Mapping[str, str] | None = None) -> Config:
    """Read and validate a TOML configuration file."""
    text = read_user_file(path, "configuration file", missing=f"no configuration file at {path}")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError("{path} is not valid TOML: {exc}", path=path, exc=exc) from None
    return config_from_dict(data, source=path.resolve(), env=env)
