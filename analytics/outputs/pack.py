"""The review pack: the weekly or monthly review as one self-contained file — the meeting's record.

The pack is the page: its sections (analytics/outputs/pack_weekly.py, pack_monthly.py) call the same
engine and view functions as the weekly and monthly pages, so its labels, names, percentages, order and
verdicts are the page's, plus what only the meeting has: the figures frozen at it and the action items
as they stood that week. The HTML carries the page's interactive charts (plotly.js inlined) and a static
SVG of each for print; the PDF prints the static half, without plotly.js (pack_html.printable).
"""
from __future__ import annotations

import subprocess
import tempfile
from datetime import date, datetime
from pathlib import Path

from analytics.core.filters import Filters
from analytics.engine import weekly
from analytics.engine.base import NO_FILTERS, MetricError
from analytics.engine.health import data_confidence
from analytics.i18n.messages import dimension_label, fmt_date, fmt_datetime, t
from analytics.outputs import pack_monthly, pack_weekly
from analytics.outputs.pack_html import MAX_ROWS, Chart, Section, Table, printable, render, table_html
from analytics.store.db import Store
from analytics.store.meetings import MeetingStore

__all__ = ["MAX_ROWS", "Chart", "Section", "Table", "build", "confidence_text", "monthly_sections", "printable",
           "render", "table_html", "weekly_sections", "write"]


def _day(value) -> str:
    if isinstance(value, datetime):
        value = value.date()
    return value.isoformat() if isinstance(value, date) else "–"


def confidence_text(store: Store) -> str:
    c = data_confidence(store)

    def pct(x):
        return "–" if x is None else f"{x:.1%}"
    return t("pack.confidence", as_of=fmt_datetime(c["as_of"]), version=c["data_version"][:8],
             loaded=f"{c['rows_loaded']:,}", rejected=f"{c['rows_rejected']:,}",
             rejected_share=pct(c["rejected_share"]),
             first=_day(c["first_lead_at"]), last=_day(c["last_lead_at"]),
             skipped=pct(c["skipped_stage_share"]), no_touch=pct(c["no_touch_share"]))


def weekly_sections(store: Store, week: weekly.Week, filters: Filters = NO_FILTERS,
                    meetings: MeetingStore | None = None, scope: str = "") -> list[Section]:
    """The weekly pack's sections (pack_weekly.sections): what a test or another output can read."""
    return pack_weekly.sections(store, week, filters, meetings, scope)


def monthly_sections(store: Store, filters: Filters = NO_FILTERS) -> list[Section]:
    return pack_monthly.sections(store, filters)


LEAD_FILTERS = (("sources", "source"), ("regions", "region"), ("industries", "industry"), ("owners", "owner_id"))


def scope_words(store: Store, filters: Filters) -> str:
    """The lead filters in words, owners by name: 'Source: Webinar; Owner: Emma Schulz' ('' = all leads)."""
    names = pack_weekly.rep_names(store) if filters.owners else {}
    return "; ".join(f"{dimension_label(column)}: {', '.join(sorted(names.get(v, v) for v in values))}"
                     for field, column in LEAD_FILTERS if (values := getattr(filters, field)))


DEFINITION_KEYS = ("def.cohort", "def.skip", "def.as_of", "def.handoff", "def.sla", "def.stalled", "def.noise",
                   "def.immature", "def.winrate")


def build(store: Store, kind: str, period: str | None = None, filters: Filters = NO_FILTERS,
          meetings: MeetingStore | None = None, scope: str = "", interactive: bool = True) -> str:
    """The pack's HTML for kind 'weekly' (period = ISO week, default the last complete one) or 'monthly'.
    `scope` is the lead filters as the page keys a frozen snapshot ('' = all leads); interactive=False
    leaves out the Plotly charts and plotly.js (what a PDF prints is the static SVG)."""
    if kind == "weekly":
        week = weekly.Week.parse(period) if period else weekly.last_complete_week(store)
        title = t("pack.weekly_title", week=week.label)
        subtitle = t("pack.weekly_sub", start=fmt_date(week.monday), end=fmt_date(week.sunday))
        sections = weekly_sections(store, week, filters, meetings, scope)
    elif kind == "monthly":
        title = t("pack.monthly_title")
        subtitle = t("pack.monthly_sub", as_of=fmt_datetime(store.default_as_of))
        sections = monthly_sections(store, filters)
    else:
        raise MetricError("the pack is weekly or monthly")
    if words := scope_words(store, filters):
        subtitle += " " + t("pack.scope", scope=words)
    return render(title, subtitle, confidence_text(store), sections, [t(k) for k in DEFINITION_KEYS], interactive)


def write(html_text: str, out: Path) -> Path:
    """Write the pack; a .pdf name prints the HTML to PDF with headless Chromium."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() != ".pdf":
        out.write_text(html_text, encoding="utf-8")
        return out
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "pack.html"
        page.write_text(printable(html_text), encoding="utf-8")
        print_pdf(page, out)
    return out


CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", "--no-first-run",
                 "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-extensions", "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio",
                 "--disable-breakpad", "--disable-crash-reporter", "--password-store=basic"]


def print_pdf(page: Path, out: Path, chromium: str = "/usr/bin/chromium", timeout: float = 60) -> None:
    """Print a static page with Chromium's own --print-to-pdf: it prints once the page has loaded (the
    pack has no script to wait for), at the page's @page size and margins. No browser driver to start:
    about 1.5 s less than driving Chromium through Playwright."""
    if not Path(chromium).exists():
        raise MetricError(f"PDF needs Chromium at {chromium} (apt-get install chromium); the HTML pack works without")
    out = Path(out).resolve()
    out.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run([chromium, *CHROMIUM_ARGS, f"--user-data-dir={profile}", f"--print-to-pdf={out}",
                               page.resolve().as_uri()], capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0 or not out.exists() or out.stat().st_size == 0:
        raise MetricError(f"Chromium could not print the pack (exit {done.returncode}): {done.stderr[-500:]}")
