"""The mapping file of `--format mapped`: read (TOML, or YAML by suffix) and checked against the canonical
model before any data is read, so a mistake stops with a message that names it (docs/mapping.md)."""
from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from analytics.core.config import Config
from analytics.core.schema import DATE, REQUIRED_TABLES, TABLES, TIMESTAMP
from analytics.importers.formats import ConversionFailed
from analytics.importers.formats.dates import parse_dates

STATUSES = ("open", "won", "lost")
MAPPING_HINT = ' (date_format = "%d/%m/%Y", or format = ... on the column, in the mapping)'
SPEC_KEYS = {"column", "value", "map", "format"}


class MappingError(ConversionFailed):
    pass


def load_mapping(path: Path, cfg: Config) -> dict:
    """Read the mapping file (TOML, or YAML by suffix) and check it against the canonical model and
    the configured stages, before any data is read; errors name the file and the entry."""
    try:
        text = path.read_bytes()
    except OSError as e:
        raise MappingError(f"{path}: cannot read the mapping ({e.strerror or e})") from None
    if path.suffix.lower() in (".yaml", ".yml"):
        import yaml

        try:
            spec = yaml.safe_load(text)
        except yaml.YAMLError as e:
            raise MappingError(f"{path.name}: not valid YAML ({str(e).splitlines()[0]})") from None
    else:
        try:
            spec = tomllib.loads(text.decode("utf-8-sig"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise MappingError(f"{path.name}: not valid TOML ({e})") from None
    if not isinstance(spec, dict):
        raise MappingError(f"{path.name}: the mapping must be a table of settings")
    _validate(spec, path.name, cfg)
    return spec


def _validate(spec: dict, name: str, cfg: Config) -> None:
    known = {"missing", "date_format", *TABLES}
    for key in spec:
        if key not in known:
            raise MappingError(f"{name}: [{key}] is not a canonical table or setting "
                               f"(tables: {', '.join(TABLES)}; settings: missing, date_format)")
    for table in REQUIRED_TABLES:
        if table not in spec:
            raise MappingError(f"{name}: [{table}] is missing; the canonical model requires it")
    missing = spec.get("missing", [])
    if not isinstance(missing, list) or not all(isinstance(m, str) for m in missing):
        raise MappingError(f"{name}: missing must be a list of texts, e.g. missing = [\"Select\"]")
    if not isinstance(spec.get("date_format", ""), str):
        raise MappingError(f"{name}: date_format must be a strptime format such as \"%d/%m/%Y\"")
    tables = [t for t in spec if t not in ("missing", "date_format", "stage_history")]
    for table in tables:
        _validate_table(table, spec[table], f"{name}: [{table}]", spec, cfg)
    rules = spec["stage_history"]
    for i, rule in enumerate(rules if isinstance(rules, list) else [rules], 1):
        _validate_rule(rule, f"{name}: [[stage_history]] rule {i}", spec, cfg)


def _validate_table(table: str, section: Any, where: str, mapping: dict, cfg: Config) -> None:
    if not isinstance(section, dict):
        raise MappingError(f"{where} must be a table with file and columns")
    for key in section:
        if key not in ("file", "columns", "extra", "join"):
            raise MappingError(f"{where}: unknown setting {key!r} (use file, columns, extra, join)")
    if not isinstance(section.get("file"), str):
        raise MappingError(f"{where}: file = \"...\" (the source file, in the export folder) is missing")
    joins(section, where)
    columns = section.get("columns", {})
    if not isinstance(columns, dict):
        raise MappingError(f"{where}.columns must be a table of canonical column = source column")
    spec = TABLES[table]
    for column, value in columns.items():
        if column not in spec.columns:
            raise MappingError(f"{where}.columns: {column!r} is not a column of {table} "
                               f"(columns: {', '.join(spec.columns)}; put other columns under [{table}.extra])")
        _validate_spec(value, f"{where}.columns.{column}")
        if spec.columns[column] in (TIMESTAMP, DATE):
            _validate_constant_date(value, f"{where}.columns.{column}", mapping, cfg)
    for column in spec.required:
        if column not in columns:
            raise MappingError(f"{where}.columns: {column} is missing; the canonical {table} table requires it")
    extra = section.get("extra", {})
    if not isinstance(extra, dict):
        raise MappingError(f"{where}.extra must be a table of new column = source column")
    for column, value in extra.items():
        if column in spec.columns:
            raise MappingError(f"{where}.extra: {column!r} is a canonical column; map it under columns")
        _validate_spec(value, f"{where}.extra.{column}")


def joins(section: dict, where: str) -> list[tuple[str, str, str]]:
    """A table's lookup files as (file, this table's key column, the lookup file's key column)."""
    given = section.get("join", [])
    out = []
    for n, join in enumerate(given if isinstance(given, list) else [given], 1):
        at = f"{where}.join {n}"
        if not isinstance(join, dict) or set(join) - {"file", "on"} or not isinstance(join.get("file"), str):
            raise MappingError(f"{at} must be {{ file = \"companies.csv\", on = \"Company ID\" }}")
        on = join.get("on")
        if isinstance(on, str):
            out.append((join["file"], on, on))
        elif isinstance(on, dict) and len(on) == 1 and all(isinstance(v, str) for v in on.values()):
            out.append((join["file"], *next(iter(on.items()))))
        else:
            raise MappingError(f"{at}: on = \"Company ID\" (a column both files have) or on = {{ \"Company ID\" = "
                               "\"Id\" }} (this table's column = the lookup file's key column)")
    return out


def _validate_rule(rule: Any, where: str, spec: dict, cfg: Config) -> None:
    if not isinstance(rule, dict):
        raise MappingError(f"{where} must be a table (stage, entered_at, when, file, lead_id, join)")
    for key in rule:
        if key not in ("file", "lead_id", "stage", "entered_at", "when", "join"):
            raise MappingError(f"{where}: unknown setting {key!r} (use stage, entered_at, when, file, lead_id, join)")
    joins(rule, where)
    if "stage" not in rule:
        raise MappingError(f"{where}: stage is missing (a constant {{ value = \"mql\" }} or a status column)")
    leads = spec.get("leads", {}).get("columns", {})
    for key in ("stage", "entered_at", "lead_id"):
        if key in rule:
            _validate_spec(rule[key], f"{where}.{key}")
        elif key == "entered_at" and "created_at" not in leads:
            raise MappingError(f"{where}: entered_at is missing")
    if "file" in rule and not isinstance(rule["file"], str):
        raise MappingError(f"{where}: file must be a file name")
    if "file" in rule and "lead_id" not in rule:
        raise MappingError(f"{where}: a rule reading its own file needs lead_id = \"...\" too")
    if "entered_at" in rule:
        _validate_constant_date(rule["entered_at"], f"{where}.entered_at", spec, cfg)
    stage = rule["stage"]
    stages = ", ".join(cfg.all_stages)
    if isinstance(stage, dict) and "value" in stage and stage["value"] not in cfg.all_stages:
        raise MappingError(f"{where}: stage {stage['value']!r} is not a configured stage ({stages})")
    for target in ((stage.get("map") or {}).values() if isinstance(stage, dict) else ()):
        if target not in ("", None) and target not in cfg.all_stages:
            raise MappingError(f"{where}: stage map value {target!r} is not a configured stage ({stages})")
    when = rule.get("when")
    if when is not None:
        if (not isinstance(when, dict) or set(when) - {"column", "in"} or not isinstance(when.get("column"), str)
                or not isinstance(when.get("in"), list)):
            raise MappingError(f"{where}.when must be {{ column = \"Converted\", in = [\"1\"] }}")


def _validate_constant_date(value: Any, where: str, mapping: dict, cfg: Config) -> None:
    if isinstance(value, dict) and "value" in value:
        stated = value.get("format") or mapping.get("date_format") or None
        text = None if value["value"] is None else str(value["value"])
        try:
            dates = parse_dates([text], where, "value", cfg.timestamp_formats, stated, MAPPING_HINT)
        except ConversionFailed:
            dates = None
        if dates is None or dates.bad or dates.values[0] is None:
            raise MappingError(f"{where}: {value['value']!r} is not a date")


def _validate_spec(value: Any, where: str) -> None:
    if isinstance(value, str):
        return
    if not isinstance(value, dict) or not value or set(value) - SPEC_KEYS:
        raise MappingError(f"{where}: give a source column name, {{ column = \"...\" }} (with map, format) "
                           f"or {{ value = \"...\" }} for a constant")
    if ("column" in value) == ("value" in value):
        raise MappingError(f"{where}: give either column or value, not both or neither")
    if "column" in value and not isinstance(value["column"], str):
        raise MappingError(f"{where}.column must be the name of a source column")
    if "map" in value and not isinstance(value["map"], dict):
        raise MappingError(f"{where}.map must be a table of source value = canonical value")
    if "format" in value and not isinstance(value["format"], str):
        raise MappingError(f"{where}.format must be a strptime format such as \"%d/%m/%Y\"")
