"""What the CRM converters (Salesforce, HubSpot) share: reading an export file into text columns
(`read_sheet`, any delimiter or encoding, .xlsx too; ragged rows become rejects), cleaning values
(`truthy`, `iso_currency`, `employees_band`, `number_text`), reading times in the export's zone
(`Clock`), mapping picklist labels to the configured stages (`StageMap`, `role_stage`) and reading the
converter's section of a mapping file (`load_settings`). `ledger.py` holds what becomes of each row."""
from __future__ import annotations

import csv
import re
import tomllib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from analytics.core.config import Config
from analytics.importers.formats import ConversionFailed, Reject
from analytics.importers.readers import detect_encoding


@dataclass
class Sheet:
    """One export file read as text columns; `lines[i]` is the physical line where row i starts."""
    file: str
    header: list[str]
    columns: dict[str, list[str | None]]
    lines: list[int]
    encoding: str = "utf-8"
    quoted: bool = True
    crlf: bool = False

    def __post_init__(self) -> None:
        self._lower: dict[str, str] = {}
        self._found: dict[tuple[str, ...], str | None] = {}
        self._empty: list[None] = []
        for h in self.header:
            self._lower.setdefault(h.lower(), h)

    def __len__(self) -> int:
        return len(self.lines)

    def name(self, *labels: str) -> str | None:
        """The header name of the first label present (case-insensitive)."""
        if labels not in self._found:
            self._found[labels] = next((found for label in labels if (found := self._lower.get(label.lower()))
                                        is not None and found in self.columns), None)
        return self._found[labels]

    def has(self, *labels: str) -> bool:
        return self.name(*labels) is not None

    def col(self, *labels: str) -> list[str | None]:
        found = self.name(*labels)
        if found is None:
            if len(self._empty) != len(self):
                self._empty = [None] * len(self)  # one shared column of nothing
            return self._empty
        return self.columns[found]


def read_sheet(path: Path, encoding: str, rejects: list[Reject],
               keep: Callable[[str], bool] | None = None, clean: Callable[[str], str | None] | None = None,
               rename: Callable[[list[str]], list[str]] | None = None) -> Sheet:
    """Read a CSV (any delimiter, quoted line breaks, BOM) or .xlsx file; ragged rows become rejects."""
    clean = clean or clean_cell
    if path.suffix.lower() == ".xlsx":
        return read_xlsx(path, rejects, keep, clean, rename)
    enc = encoding or sniff_encoding(path)
    try:
        with open(path, encoding=enc, newline="") as f:
            sample = f.read(64 * 1024)
            f.seek(0)
            if not sample.strip():
                raise ConversionFailed(f"{path.name}: the file is empty")
            first = sample.splitlines()[0]
            delimiter = max([",", ";", "\t", "|"], key=first.count)
            reader = csv.reader(f, delimiter=delimiter)
            header = [h.replace("\ufeff", "").strip() for h in next(reader)]
            header = rename(header) if rename else dedupe(header)
            kept = [(i, h) for i, h in enumerate(header) if keep is None or keep(h)]
            columns: dict[str, list] = {h: [] for _, h in kept}
            lines: list[int] = []
            start = reader.line_num + 1
            for record in reader:
                if not record or record == [""]:
                    start = reader.line_num + 1
                    continue
                if len(record) != len(header):
                    rejects.append(Reject(path.name, start, None, None,
                                          f"expected {len(header)} fields, found {len(record)}"))
                else:
                    for i, h in kept:
                        columns[h].append(clean(record[i]))
                    lines.append(start)
                start = reader.line_num + 1
    except (UnicodeDecodeError, csv.Error, StopIteration) as e:
        raise ConversionFailed(f"{path.name}: cannot be read as a CSV table ({str(e)[:200]})") from None
    quoted = sample.lstrip("\ufeff").startswith('"')
    return Sheet(path.name, header, columns, lines, enc, quoted, "\r\n" in sample)


def sniff_encoding(path: Path) -> str:
    """readers.detect_encoding, with one more check before GB18030: in Chinese text CJK characters
    come in runs (words, names), while Latin-1 text read as GB18030 gives lone ones ("ñí" in
    "Compañía" is one valid GB2312 character). Mostly lone ones: Windows-1252 / Latin-1."""
    found = detect_encoding(path)
    if found != "gb18030":
        return found
    with open(path, "rb") as f:
        text = f.read(1 << 20).decode("gb18030", errors="ignore")
    runs = [len(r) for r in re.findall(r"[\u3400-\u9fff\uf900-\ufaff]+", text)]
    if runs and sum(n for n in runs if n >= 2) >= 0.5 * sum(runs):
        return found
    try:
        with open(path, encoding="cp1252") as f:
            f.read()
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def read_xlsx(path, rejects, keep, clean, rename) -> Sheet:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(skip_empty_area=False)
    except CalamineError as e:
        raise ConversionFailed(f"{path.name}: cannot be read as an Excel workbook ({str(e)[:200]})") from None
    if not rows:
        raise ConversionFailed(f"{path.name}: the first sheet is empty")
    header = [str(h or "").strip() for h in rows[0]]
    header = rename(header) if rename else dedupe(header)
    kept = [(i, h) for i, h in enumerate(header) if keep is None or keep(h)]
    columns: dict[str, list] = {h: [] for _, h in kept}
    lines = []
    for n, row in enumerate(rows[1:], start=2):
        if all(v in (None, "") for v in row):
            continue
        for i, h in kept:
            columns[h].append(clean(cell_text(row[i])) if i < len(row) else None)
        lines.append(n)
    return Sheet(path.name, header, columns, lines, "xlsx", False, False)


def cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


def dedupe(header: list[str]) -> list[str]:
    seen: Counter = Counter()
    out = []
    for h in header:
        seen[h.lower()] += 1
        out.append(h if seen[h.lower()] == 1 else f"{h} ({seen[h.lower()]})")
    return out


def clean_cell(value: str) -> str | None:
    value = value.lstrip("\x00").strip()
    return value or None


def iso_currency(value: str | None) -> str | None:
    """A currency code as ISO writes it (three letters), else none (some orgs export "000")."""
    return value.upper() if value and re.fullmatch(r"[A-Za-z]{3}", value.strip()) else None


def truthy(value: str | None) -> bool | None:
    if value is None:
        return None
    v = value.strip().lower()
    if v in ("1", "true", "yes", "y", "on", "1.0"):
        return True
    if v in ("0", "false", "no", "n", "off", "0.0"):
        return False
    return None


class Clock:
    """Parses export times. A value without an offset is wall-clock time in `zone`; results are UTC."""
    ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?"
                     r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?$")

    def __init__(self, zone: str, where: str = "timezone") -> None:
        try:
            self.zone = ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConversionFailed(f"{where}: unknown time zone {zone!r} (use a name like 'Europe/Madrid')") from None
        self.zone_name = zone
        self._cache: dict[str, datetime | None] = {}

    def time(self, text: str | None) -> datetime | None | bool:
        """UTC datetime; None for an empty value; False for a value that is not a time."""
        if text is None:
            return None
        if text not in self._cache:
            self._cache[text] = self._parse(text)
        got = self._cache[text]
        return False if got is None else got

    def _parse(self, text: str) -> datetime | None:
        m = self.ISO.match(text)
        if not m:
            return None
        y, mo, d, hh, mi, ss, frac, off = m.groups()
        try:
            naive = datetime(int(y), int(mo), int(d), int(hh or 0), int(mi or 0), int(ss or 0),
                             int((frac or "0")[:6].ljust(6, "0")))
        except ValueError:
            return None
        if off:
            if off == "Z":
                return naive.replace(tzinfo=UTC)
            sign = 1 if off[0] == "+" else -1
            digits = off[1:].replace(":", "")
            delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
            return (naive - sign * delta).replace(tzinfo=UTC)
        return self.localize(naive)

    def localize(self, naive: datetime) -> datetime | None:
        """Wall-clock time in the zone -> UTC; None when the time does not exist (a DST gap)."""
        utc = naive.replace(tzinfo=self.zone).astimezone(UTC)
        if utc.astimezone(self.zone).replace(tzinfo=None) != naive:
            return None
        return utc

    def day(self, text: str | None) -> date | None | bool:
        """A calendar date (a date-only field, maybe written with 00:00:00); False if not a date."""
        if text is None:
            return None
        m = self.ISO.match(text)
        if not m:
            return False
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return False

    def midnight(self, d: date, floor: datetime | None = None) -> datetime:
        """Start of day `d` in the zone, as UTC; a day equal to `floor`'s local day gives `floor`
        (a date-only close or conversion on the day a record was created is not before it)."""
        start = datetime(d.year, d.month, d.day, tzinfo=self.zone).astimezone(UTC)
        if floor is not None and start < floor and floor.astimezone(self.zone).date() == d:
            return floor
        return start


ROLES = ("lead", "mql", "sal", "sql", "opportunity", "won", "lost", "recycled", "disqualified")


def role_stage(cfg: Config, role: str) -> str | None:
    """A default map's role -> the configured stage name (None when the config has no such stage)."""
    stage = {"lead": cfg.main_stages[0], "mql": cfg.handoff_stage, "sal": cfg.accepted_stage,
             "sql": cfg.qualified_stage, "opportunity": cfg.opportunity_stage, "won": cfg.won_stage,
             "lost": cfg.lost_stage, "recycled": cfg.recycled_stage}.get(role)
    if stage is None and role in cfg.all_stages:
        stage = role
    return stage


def label_key(label: str) -> str:
    return " ".join(label.casefold().split())


class StageMap:
    """CRM picklist value -> configured stage: the defaults (by role), then the mapping file's entries
    (stage names; "" means "not a stage"). Matching ignores case and repeated spaces."""

    def __init__(self, defaults: dict[str, str], overrides: dict, cfg: Config, where: str) -> None:
        self.map: dict[str, str | None] = {label_key(k): role_stage(cfg, v) for k, v in defaults.items()}
        for label, stage in overrides.items():
            if not isinstance(stage, str) or (stage and stage not in cfg.all_stages):
                raise ConversionFailed(f"{where}: {label!r} = {stage!r} is not a configured stage "
                                       f"(one of: {', '.join(cfg.all_stages)}, or \"\" to ignore it)")
            self.map[label_key(str(label))] = stage or None
        self.unmapped: Counter = Counter()

    def get(self, label: str) -> tuple[bool, str | None]:
        k = label_key(label)
        return (k in self.map, self.map.get(k))


def load_settings(mapping: Path | None, section: str, allowed: set[str]) -> dict:
    """The `[section]` table of a mapping TOML file (empty without a file); unknown keys stop."""
    if mapping is None:
        return {}
    try:
        with open(mapping, "rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        raise ConversionFailed(f"{mapping}: mapping file not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConversionFailed(f"{mapping.name}: not a valid TOML mapping file ({e})") from None
    settings = data.get(section)
    if not isinstance(settings, dict):
        raise ConversionFailed(f"{mapping.name}: no [{section}] section (found: {', '.join(data) or 'nothing'})")
    unknown = sorted(set(settings) - allowed)
    if unknown:
        raise ConversionFailed(f"{mapping.name}: [{section}] has unknown setting {unknown[0]!r} "
                               f"(known: {', '.join(sorted(allowed))})")
    return settings


def employees_band(value: str | None) -> str | None:
    """A head count -> a size band like the canonical examples ("51-200"); text passes through."""
    if value is None:
        return None
    try:
        n = float(value.replace(",", ""))
    except ValueError:
        return value
    for top, band in ((50, "1-50"), (200, "51-200"), (1000, "201-1000"), (5000, "1001-5000")):
        if n <= top:
            return band
    return "5001+"


def number_text(value: str | None) -> str | None:
    """An amount as plain digits when it clearly is one ("1,234.50", "$ 900"); otherwise unchanged,
    so the canonical import rejects it with its line."""
    if value is None:
        return None
    v = re.sub(r"[\s$€£¥]", "", value)
    if re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", v):
        v = v.replace(",", "")
    return v if re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", v) else value

