"""The one configuration file: stage names and order, marketing sources, SLA hours, stall days; and,
apart from those data rules, where the data is served from and what one machine may spend ([engine])."""
from __future__ import annotations

import json
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CONFIG = ROOT / "closed_loop.toml"


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Config:
    main_stages: tuple[str, ...]
    lost_stage: str
    exit_stages: tuple[str, ...]
    handoff_stage: str
    accepted_stage: str
    qualified_stage: str
    recycled_stage: str
    marketing_sources: tuple[str, ...]
    follow_up_hours: float
    decision_hours: float
    recycle_days: float
    stall_days: dict[str, float] = field(default_factory=dict)
    timezone: str = "UTC"
    timestamp_formats: tuple[str, ...] = ()
    encoding: str = ""
    score_min: float = 0
    score_max: float = 100
    low_volume_n: int = 30
    target_red_below: float = 0.70
    target_amber_below: float = 0.90
    business_hours: bool = False
    office_start_hour: float = 9
    office_end_hour: float = 17
    office_timezone: str = "UTC"
    score_threshold: float = 50
    target_precision: float = 0
    currency: str = "USD"
    source_aliases: dict[str, str] = field(default_factory=dict)
    confirm_reject_share: float = 0.05
    unit_columns: tuple[str, ...] = ("product",)
    market_column: str = "account_id"
    new_months: int = 12
    growth_line: float = 0.10
    share_line: float = 1.0

    @property
    def won_stage(self) -> str:
        return self.main_stages[-1]

    @property
    def opportunity_stage(self) -> str:
        return self.main_stages[-2]

    @property
    def all_stages(self) -> tuple[str, ...]:
        return (*self.main_stages, self.lost_stage, *self.exit_stages)

    def stage_rows(self) -> list[tuple[str, int, str, str | None]]:
        """(stage, stage_order, kind, role) for the stage_config table; lost sits level with won."""
        roles = {self.handoff_stage: "handoff", self.accepted_stage: "accepted",
                 self.qualified_stage: "qualified", self.recycled_stage: "recycled",
                 self.won_stage: "won", self.opportunity_stage: "opportunity", self.lost_stage: "lost"}
        rows = [(s, i + 1, "main", roles.get(s)) for i, s in enumerate(self.main_stages)]
        rows.append((self.lost_stage, len(self.main_stages), "lost", "lost"))
        rows += [(s, len(self.main_stages) + 1, "exit", roles.get(s)) for s in self.exit_stages]
        return rows

    def source_params(self) -> dict[str, list[str]]:
        """The marketing list and the aliases as the parameters of queries/derived/source_labels.sql."""
        return {"marketing_sources": list(self.marketing_sources), "alias_labels": list(self.source_aliases),
                "alias_targets": list(self.source_aliases.values())}

    def to_json(self) -> str:
        return json.dumps(self.__dict__, default=list)

    @classmethod
    def from_json(cls, text: str) -> Config:
        d = json.loads(text)
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in d.items()})


def load_config(path: str | Path | None = None) -> Config:
    """Read the defaults, then the given file's values on top of them."""
    raw = _read(DEFAULT_CONFIG)
    if path is not None:
        _merge(raw, _read(Path(path)))
    try:
        stages, sla = raw["stages"], raw["sla"]
        office = sla.get("business_hours", {})
        score = raw.get("score", {})
        strategy = raw.get("strategy", {})
        cfg = Config(
            main_stages=tuple(stages["main"]),
            lost_stage=stages["lost"],
            exit_stages=tuple(stages["exits"]),
            handoff_stage=stages["handoff"],
            accepted_stage=stages["accepted"],
            qualified_stage=stages["qualified"],
            recycled_stage=stages["recycled"],
            marketing_sources=tuple(raw["sources"]["marketing"]),
            follow_up_hours=float(sla["follow_up_hours"]),
            decision_hours=float(sla["decision_hours"]),
            recycle_days=float(sla["recycle_days"]),
            stall_days={k: float(v) for k, v in raw.get("stall", {}).items()},
            timezone=raw.get("timezone", "UTC"),
            timestamp_formats=tuple(raw.get("timestamp_formats", [])),
            encoding=raw.get("encoding", ""),
            score_min=float(score.get("min", 0)),
            score_max=float(score.get("max", 100)),
            low_volume_n=int(raw.get("reporting", {}).get("low_volume_n", 30)),
            target_red_below=float(raw.get("reporting", {}).get("target_red_below", 0.70)),
            target_amber_below=float(raw.get("reporting", {}).get("target_amber_below", 0.90)),
            business_hours=bool(office.get("enabled", False)),
            office_start_hour=float(office.get("start_hour", 9)),
            office_end_hour=float(office.get("end_hour", 17)),
            office_timezone=office.get("timezone", "UTC"),
            score_threshold=float(score.get("threshold", 50)),
            target_precision=float(score.get("target_precision", 0)),
            currency=str(raw.get("money", {}).get("currency", "USD")).strip().upper(),
            confirm_reject_share=float(raw.get("import", {}).get("confirm_reject_share", 0.05)),
            source_aliases=_aliases(raw["sources"].get("aliases", {}), path or DEFAULT_CONFIG),
            unit_columns=tuple(strategy.get("unit", ["product"])),
            market_column=str(strategy.get("market", "account_id")),
            new_months=int(strategy.get("new_months", 12)),
            growth_line=float(strategy.get("growth_line", 0.10)),
            share_line=float(strategy.get("share_line", 1.0)),
        )
    except (KeyError, TypeError, ValueError) as e:
        raise ConfigError(f"{path or DEFAULT_CONFIG}: missing or invalid setting {e}") from None
    _check(cfg, path or DEFAULT_CONFIG)
    return cfg


ENGINES = ("duckdb", "spark")


@dataclass(frozen=True)
class EngineSettings:
    """[engine] of closed_loop.toml: not a data rule (an import does not store it) but the machine's:
    which engine, the warehouse the CLI and the dashboard read (a folder or s3a:// path; "" = the
    DuckDB file), and what each DuckDB connection of an import or a report may use. A memory limit is
    DuckDB's own text ("3GB", "800MB"); temp_directory "" = a spill folder beside the database."""
    engine: str = "duckdb"
    warehouse: str = ""
    memory_limit: str = "3GB"
    threads: int = 2
    temp_directory: str = ""

    def with_options(self, **options) -> EngineSettings:
        """These settings with the command line's options on top (None = not given)."""
        chosen = {k: v for k, v in options.items() if v is not None}
        return _checked_engine(EngineSettings(**{**self.__dict__, **chosen}), "the command line")


def load_engine_settings(path: str | Path | None = None, environment: bool = True) -> EngineSettings:
    """[engine] and [engine.duckdb] of closed_loop.toml (then of `path`); CLOSED_LOOP_WAREHOUSE, when
    set (and `environment`), names the warehouse."""
    raw = _read(DEFAULT_CONFIG)
    if path is not None:
        _merge(raw, _read(Path(path)))
    section = raw.get("engine", {})
    duck = section.get("duckdb", {})
    where = path or DEFAULT_CONFIG
    try:
        settings = EngineSettings(
            engine=str(section.get("engine", "duckdb")), warehouse=str(section.get("warehouse", "")),
            memory_limit=str(duck.get("memory_limit", "3GB")), threads=int(duck.get("threads", 2)),
            temp_directory=str(duck.get("temp_directory", "")))
    except (TypeError, ValueError) as e:
        raise ConfigError(f"{where}: invalid [engine] setting ({e})") from None
    if environment and os.environ.get("CLOSED_LOOP_WAREHOUSE"):
        settings = EngineSettings(**{**settings.__dict__, "warehouse": os.environ["CLOSED_LOOP_WAREHOUSE"]})
    return _checked_engine(settings, where)


def _checked_engine(settings: EngineSettings, where) -> EngineSettings:
    if settings.engine not in ENGINES:
        raise ConfigError(f"{where}: [engine] engine must be one of {', '.join(ENGINES)}, not {settings.engine!r}")
    if settings.threads < 1:
        raise ConfigError(f"{where}: [engine.duckdb] threads must be 1 or more")
    if not re.fullmatch(r"\s*\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*", settings.memory_limit, re.I):
        raise ConfigError(f"{where}: [engine.duckdb] memory_limit must be a size such as 3GB or 800MB, "
                          f"not {settings.memory_limit!r}")
    return settings


def _aliases(raw, path) -> dict[str, str]:
    """[sources.aliases]: label = label, e.g. "fb" = "Paid Social" (text to text)."""
    if not isinstance(raw, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in raw.items()):
        raise ConfigError(f'{path}: [sources.aliases] must map labels to labels, e.g. "fb" = "Paid Social"')
    return dict(raw)


def _merge(base: dict, override: dict) -> None:
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = value


def _read(path: Path) -> dict:
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: not valid TOML ({e})") from None


def _check(cfg: Config, path) -> None:
    if len(cfg.main_stages) < 3:
        raise ConfigError(f"{path}: [stages] main needs at least three stages")
    if len(set(cfg.all_stages)) != len(cfg.all_stages):
        raise ConfigError(f"{path}: [stages] names must be distinct")
    for role in ("handoff_stage", "accepted_stage", "qualified_stage"):
        if getattr(cfg, role) not in cfg.main_stages:
            raise ConfigError(f"{path}: [stages] {role.removesuffix('_stage')} must be a main stage")
    if cfg.recycled_stage not in cfg.exit_stages:
        raise ConfigError(f"{path}: [stages] recycled must be one of the exits")
    if not 0 <= cfg.office_start_hour < cfg.office_end_hour <= 24:
        raise ConfigError(f"{path}: [sla.business_hours] needs 0 <= start_hour < end_hour <= 24")
    if not re.fullmatch(r"[A-Z]{3}", cfg.currency):
        raise ConfigError(f"{path}: [money] currency must be a three-letter ISO code such as USD or EUR")
    if not 0 <= cfg.confirm_reject_share <= 1:
        raise ConfigError(f"{path}: [import] confirm_reject_share must be a share between 0 and 1, e.g. 0.05")
    if not 0 <= cfg.target_red_below <= cfg.target_amber_below:
        raise ConfigError(f"{path}: [reporting] needs 0 <= target_red_below <= target_amber_below")
    if not cfg.unit_columns or not all(isinstance(c, str) and c for c in cfg.unit_columns):
        raise ConfigError(f'{path}: [strategy] unit must name one or more columns, e.g. ["product", "region"]')
    if not 1 <= cfg.new_months <= 120 or cfg.share_line <= 0:
        raise ConfigError(f"{path}: [strategy] needs 1 <= new_months <= 120 and share_line > 0")
    for stage in cfg.stall_days:
        if stage not in cfg.main_stages:
            raise ConfigError(f"{path}: [stall] {stage!r} is not a main stage")
