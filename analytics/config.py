"""The one configuration file: stage names and order, marketing sources, SLA hours, stall days."""
from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
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

    @property
    def won_stage(self) -> str:
        return self.main_stages[-1]

    @property
    def opportunity_stage(self) -> str:
        return self.main_stages[-2]

    @property
    def all_stages(self) -> tuple[str, ...]:
        return (*self.main_stages, self.lost_stage, *self.exit_stages)

    def stage_rows(self) -> list[tuple[str, int, str]]:
        """(stage, stage_order, kind) for the stage_config table; lost sits level with won."""
        rows = [(s, i + 1, "main") for i, s in enumerate(self.main_stages)]
        rows.append((self.lost_stage, len(self.main_stages), "lost"))
        rows += [(s, len(self.main_stages) + 1, "exit") for s in self.exit_stages]
        return rows

    def to_json(self) -> str:
        return json.dumps(self.__dict__, default=list)

    @classmethod
    def from_json(cls, text: str) -> "Config":
        d = json.loads(text)
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in d.items()})


def load_config(path: str | Path | None = None) -> Config:
    """Read the defaults, then the given file's values on top of them."""
    raw = _read(DEFAULT_CONFIG)
    if path is not None:
        for section, values in _read(Path(path)).items():
            if isinstance(values, dict):
                raw.setdefault(section, {}).update(values)
            else:
                raw[section] = values
    try:
        stages, sla = raw["stages"], raw["sla"]
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
            score_min=float(raw.get("score", {}).get("min", 0)),
            score_max=float(raw.get("score", {}).get("max", 100)),
            low_volume_n=int(raw.get("reporting", {}).get("low_volume_n", 30)),
        )
    except (KeyError, TypeError, ValueError) as e:
        raise ConfigError(f"{path or DEFAULT_CONFIG}: missing or invalid setting {e}") from None
    _check(cfg, path or DEFAULT_CONFIG)
    return cfg


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
    for stage in cfg.stall_days:
        if stage not in cfg.main_stages:
            raise ConfigError(f"{path}: [stall] {stage!r} is not a main stage")
