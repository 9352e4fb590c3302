"""`--format mapped --mapping FILE`: any CRM's CSV export, described by a small mapping file.

The mapping (TOML, or YAML with the same structure; docs/mapping.md) says, per canonical table, which
file feeds it and, per canonical column, which source column (or constant) with an optional value map;
stage rows come from rules (a constant stage at a date column, a status column mapped to stages, a
condition such as `Converted = 1`). A table or stage rule may `join` lookup files on a key (their
columns become usable, rows never multiply). Stage and status labels that the map leaves out stop the
conversion with every such label and its row count; a stage rule without its own time says which it
took. `mappings/salesforce_report.toml` and `mappings/x_education.toml` are the worked examples.

Reading and dates are in `sources.py` and `dates.py`; the mapping file and its checks in
`mapping_file.py`.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from analytics.core.config import Config
from analytics.core.schema import DATE, TABLES, TIMESTAMP
from analytics.importers.formats import SOURCE_FILE, SOURCE_LINE, ConversionFailed, Converted, Reject
from analytics.importers.formats.dates import parse_dates
from analytics.importers.formats.mapping_file import MAPPING_HINT, STATUSES, MappingError, joins, load_mapping
from analytics.importers.formats.sources import Source, read_source
from analytics.importers.readers import normalise_header


def convert(src: Path, cfg: Config, mapping: Path | None = None) -> Converted:
    if mapping is None:
        raise ConversionFailed("--format mapped needs --mapping FILE (TOML or YAML); see docs/mapping.md")
    spec = load_mapping(mapping, cfg)
    return Mapped(src, cfg, spec, mapping.name).run()


@dataclass
class Mapped:
    src: Path
    cfg: Config
    spec: dict
    mapping_name: str
    sources: dict[str, Source] = field(default_factory=dict)
    rejects: list[Reject] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def run(self) -> Converted:
        tables: dict[str, pl.DataFrame] = {}
        for table, section in self.spec.items():
            if table in ("missing", "date_format", "stage_history"):
                continue
            tables[table] = self._table(table, section)
        frames = [self._stage_rows(rule, i) for i, rule in enumerate(self._rules(), 1)]
        tables["stage_history"] = pl.concat(frames) if frames else _empty(["lead_id", "stage", "entered_at"])
        return Converted(tables, self.rejects, list(dict.fromkeys(self.notes)))

    def _source(self, file: str, table: str | None = None) -> Source:
        """A file of the export, read once (`table`: the canonical table its rejects belong to, for a
        lookup file, which feeds no table of its own)."""
        if file not in self.sources:
            path = self.src / file
            if not path.is_file():
                raise MappingError(f"{file}: not found in {self.src} (named by the mapping {self.mapping_name})")
            source = read_source(path, self.cfg.encoding)
            for r in source.rejects:
                r.table = table
            self.rejects += source.rejects
            missing = {m.casefold() for m in self.spec.get("missing", [])}
            frame = source.frame.with_columns(
                pl.when(pl.col(c).str.to_lowercase().is_in(list(missing))).then(None).otherwise(pl.col(c))
                .alias(c) for c in source.columns)
            self.sources[file] = Source(source.path, frame, source.rejects)
        return self.sources[file]

    def _column(self, source: Source, name: str, where: str) -> str:
        found = source.find(name)
        if found is None:
            raise MappingError(f"{source.name}: column {name!r} (mapping {where}) is not in the file "
                               f"(found: {', '.join(source.columns)})")
        return found

    def _value(self, source: Source, spec: Any, where: str, kind: str | None = None) -> pl.Series:
        """One mapped column as text: source column or constant, missing values, value map, dates."""
        spec = {"column": spec} if isinstance(spec, str) else spec
        n = source.frame.height
        if "value" in spec:
            values = pl.Series([None if spec["value"] is None else str(spec["value"])] * n, dtype=pl.String)
        else:
            values = source.frame[self._column(source, spec["column"], where)]
        if spec.get("map"):
            mapping = {str(k): (None if v in ("", None) else str(v)) for k, v in spec["map"].items()}
            values = values.replace(mapping)
        if kind in (TIMESTAMP, DATE):
            stated = spec.get("format") or self.spec.get("date_format") or None
            if "value" in spec:  # checked when the mapping was read
                dates = parse_dates([str(spec["value"])], where, "value", self.cfg.timestamp_formats, stated)
                return pl.Series([dates.text[0]] * n, dtype=pl.String)
            dates = parse_dates(values.to_list(), source.name, spec["column"], self.cfg.timestamp_formats,
                                stated, MAPPING_HINT, self._date_evidence(source))
            if dates.note:
                self.notes.append(dates.note)
            # a value that is not a date goes through as written: the canonical import rejects it
            # with this file and line
            text, bad = dates.text, set(dates.bad)
            raw = values.to_list()
            values = pl.Series([raw[i] if i in bad else t for i, t in enumerate(text)], dtype=pl.String)
        return values

    def _date_evidence(self, source: Source) -> dict[str, list[str | None]]:
        """Every date column the mapping reads from this file: together they show its day/month order."""
        specs = []
        for table, section in self.spec.items():
            if table in ("missing", "date_format", "stage_history") or self.src / section["file"] != source.path:
                continue
            specs += [v for c, v in section.get("columns", {}).items() if TABLES[table].columns[c] in (TIMESTAMP, DATE)]
        leads = self.spec["leads"]
        for rule in self._rules():
            if self.src / rule.get("file", leads["file"]) == source.path:
                specs.append(rule.get("entered_at", leads["columns"].get("created_at")))
        names = {spec if isinstance(spec, str) else spec.get("column") for spec in specs}
        found = {source.find(n) for n in names if n}
        return {c: source.frame[c].to_list() for c in found if c}

    def _rules(self) -> list[dict]:
        rules = self.spec["stage_history"]
        return rules if isinstance(rules, list) else [rules]

    def _table(self, table: str, section: dict) -> pl.DataFrame:
        source = self._joined(self._source(section["file"]), section, table, f"[{table}]")
        spec = TABLES[table]
        out = {}
        columns = section.get("columns", {})
        for column in (c for c in spec.columns if c in columns):  # in the canonical order
            out[column] = self._value(source, columns[column], f"[{table}.columns] {column}", spec.columns[column])
        status = columns.get("status") if table == "opportunities" else None
        if isinstance(status, (str, dict)) and "value" not in status:
            status = {"column": status} if isinstance(status, str) else status
            raw = source.frame[self._column(source, status["column"], "[opportunities.columns] status")]
            self._stop_unmapped(source.name, status, "[opportunities.columns] status", raw, out["status"],
                                STATUSES, "open")
        for column, value in section.get("extra", {}).items():
            out[column] = self._value(source, value, f"[{table}.extra] {column}")
        frame = pl.DataFrame(out, schema={c: pl.String for c in out}, height=source.frame.height)
        return frame.with_columns(pl.lit(source.name).alias(SOURCE_FILE), source.frame[SOURCE_LINE])

    def _joined(self, source: Source, section: dict, table: str, where: str) -> Source:
        """The table's file with the columns of each lookup file joined on its key (one lookup row per
        key, else stop; a row whose key the lookup lacks keeps empty lookup columns, with a note). A
        lookup column is `Industry (companies.csv)`, and plain `Industry` unless the file has one."""
        frame = source.frame
        for file, here, there in joins(section, where):
            lookup = self._source(file, table)
            at = f"{where} join {file}"
            key, other = self._column(source, here, at), self._column(lookup, there, at)
            rows = lookup.frame.filter(pl.col(other).is_not_null())
            repeated = rows.filter(pl.col(other).is_duplicated())
            if repeated.height:
                value = repeated[other][0]
                lines = repeated.filter(pl.col(other) == value)[SOURCE_LINE].to_list()
                raise MappingError(f"{lookup.name}: key {other!r} repeats {value!r} (lines {lines[0]} and "
                                   f"{lines[1]}); a lookup file needs one row per key (mapping {at})")
            names = {c: f"{c} ({lookup.name})" for c in lookup.columns if c != other}
            taken = {normalise_header(c) for c in frame.columns}
            right = rows.select(pl.col(other).alias("_key"), *(pl.col(c).alias(n) for c, n in names.items()))
            frame = (frame.join(right, left_on=key, right_on="_key", how="left", coalesce=True)
                     .sort(SOURCE_LINE)
                     .with_columns(pl.col(n).alias(c) for c, n in names.items() if normalise_header(c) not in taken))
            blank = frame[key].null_count()
            missed = frame.filter(pl.col(key).is_not_null() & ~pl.col(key).is_in(rows[other].implode()))
            found = frame.height - blank - missed.height
            self.notes.append(
                f"{where}: {source.name} joined with {lookup.name} on {key} = {other}: {found:,} of {frame.height:,} "
                f"rows found their {lookup.name} row"
                + (f"; {missed.height:,} with a key {lookup.name} lacks (e.g. {missed[key][0]!r})" if missed.height
                   else "") + (f"; {blank:,} with no {key}" if blank else "")
                + ("" if found == frame.height else ": their lookup columns are empty"))
        return Source(source.path, frame, source.rejects)

    @staticmethod
    def _stop_unmapped(file: str, spec: dict, where: str, raw: pl.Series, values: pl.Series,
                       allowed: Sequence[str], example: str) -> None:
        """Stop when a label column has values that are neither in its map nor `allowed`: each such
        row would be rejected one by one (every open deal of a stage left out, say), so the import
        stops first and names every such label with its row count."""
        known = [str(k) for k in (spec.get("map") or {})]
        bad = raw.filter(raw.is_not_null() & ~raw.is_in(known) & ~values.str.to_lowercase().is_in(list(allowed)))
        if bad.is_empty():
            return
        counts = bad.value_counts(sort=True).rows()
        listed = ", ".join(f"{label!r} ({n:,} row{'s' if n > 1 else ''})" for label, n in counts)
        raise MappingError(
            f"{file}: column {spec['column']!r} (mapping {where}): {len(counts)} value"
            f"{'s are' if len(counts) > 1 else ' is'} neither in the map nor one of {', '.join(allowed)}: "
            f"{listed}; map each one (to \"\" for none), e.g. map = {{ \"{counts[0][0]}\" = \"{example}\" }}")

    def _stage_rows(self, rule: dict, number: int) -> pl.DataFrame:
        where = f"[[stage_history]] rule {number}"
        leads = self.spec["leads"]
        source = self._joined(self._source(rule.get("file", leads["file"])), rule, "stage_history", where)
        lead_id = self._value(source, rule.get("lead_id", leads["columns"]["lead_id"]), f"{where} lead_id")
        entered = self._value(source, rule.get("entered_at", leads["columns"].get("created_at")),
                              f"{where} entered_at", TIMESTAMP)
        stage_spec = rule["stage"]
        stage_spec = {"column": stage_spec} if isinstance(stage_spec, str) else stage_spec
        if "entered_at" not in rule:
            created = leads["columns"]["created_at"]
            created = {"column": created} if isinstance(created, str) else created
            fallback = (f"column {created['column']!r}" if "column" in created
                        else f"the constant {created['value']}")
            stage = (f"stage {stage_spec['value']}" if "value" in stage_spec
                     else f"the stages of column {stage_spec['column']!r}")
            self.notes.append(f"{where} ({stage}) has no entered_at: its rows enter at the leads' created_at "
                              f"({fallback}), when the lead was created, not when it reached the stage")
        stage = self._value(source, stage_spec, f"{where} stage")
        frame = pl.DataFrame({"lead_id": lead_id, "stage": stage, "entered_at": entered,
                              SOURCE_LINE: source.frame[SOURCE_LINE]})
        if stage_spec.get("column"):
            frame = frame.with_columns(_raw_stage=source.frame[self._column(source, stage_spec["column"], where)])
        if rule.get("when"):
            column = self._column(source, rule["when"]["column"], f"{where} when")
            wanted = [str(v) for v in rule["when"]["in"]]
            frame = frame.filter(source.frame[column].is_in(wanted).fill_null(False))
        if "value" in stage_spec:
            # a constant stage at a date column: a blank date means the stage was not reached
            frame = frame.filter(pl.col("entered_at").is_not_null())
        else:
            # a status column: a blank status is no stage; a value the map leaves unknown stops
            self._stop_unmapped(source.name, stage_spec, f"{where} stage", frame["_raw_stage"], frame["stage"],
                                self.cfg.all_stages, "")
            frame = frame.filter(pl.col("stage").is_not_null()).drop("_raw_stage")
        return frame.select("lead_id", "stage", "entered_at", pl.lit(source.name).alias(SOURCE_FILE), SOURCE_LINE)


def _empty(columns: Sequence[str]) -> pl.DataFrame:
    return pl.DataFrame(schema={**{c: pl.String for c in columns}, SOURCE_FILE: pl.String, SOURCE_LINE: pl.Int64})
