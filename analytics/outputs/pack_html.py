"""The pack's HTML: sections of notes, tiles, charts and the page's shown tables, one self-contained file.

Each chart is there twice: the page's interactive Plotly figure (plotly.js inlined, on screen) and a
static SVG (in print). The PDF path drops the interactive half before printing (`printable`), so
Chromium prints plain HTML without running plotly.js."""
from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import plotly.graph_objects as go
import polars as pl
from plotly.offline import get_plotlyjs

from analytics.i18n.messages import fmt_int, t

MAX_ROWS = 50
LIVE, LIVE_END = "<!--live-->", "<!--/live-->"
TONES = ("info", "good", "warn", "bad")


@dataclass
class Chart:
    static: str  # <svg>
    live: Callable[[], go.Figure] | None = None  # the page's figure, drawn only for the interactive pack


@dataclass
class Table:
    """A shown table (every cell already text) with its column labels; `limit` rows at most, and a
    line saying so when there are more."""
    frame: pl.DataFrame
    labels: dict[str, str] = field(default_factory=dict)
    caption: str = ""
    limit: int = MAX_ROWS
    note: str = ""  # under the table
    lead: str = ""  # between the caption and the table


@dataclass
class Section:
    title: str
    intro: str = ""
    notes: list[tuple[str, str]] = field(default_factory=list)  # (tone, text with **bold**)
    tiles: list[dict] = field(default_factory=list)  # st.metric kwargs: label, value, delta, help
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    appendix: bool = False


def words(text: str) -> str:
    """Plain text with **bold** (the page's markdown) as HTML."""
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", html.escape(text))


def table_html(table: Table) -> str:
    frame = table.frame
    caption = f"<h3>{html.escape(table.caption)}</h3>" if table.caption else ""
    if frame.is_empty():
        return f"{caption}<p class='empty'>{words(table.note) if table.note else html.escape(t('pack.none'))}</p>"
    head = "".join(f"<th>{html.escape(table.labels.get(c, c))}</th>" for c in frame.columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape('' if v is None else str(v))}</td>" for v in row) + "</tr>"
                   for row in frame.head(table.limit).iter_rows())
    out = [caption, f"<p class='note'>{words(table.lead)}</p>" if table.lead else "",
           f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"]
    if frame.height > table.limit:
        more = t("pack.more_rows", shown=fmt_int(table.limit), total=fmt_int(frame.height))
        out.append(f"<p class='more'>{html.escape(more)}</p>")
    if table.note:
        out.append(f"<p class='note'>{words(table.note)}</p>")
    return "".join(out)


def tiles_html(tiles: list[dict]) -> str:
    cells = []
    for tile in tiles:
        delta = tile.get("delta")
        tone = ""
        if delta not in (None, "") and tile.get("delta_color") != "off":
            tone = " bad" if str(delta).startswith(("-", "−")) else " good"
        cells.append(f"<div class='tile'><div class='label'>{html.escape(tile['label'])}</div>"
                     f"<div class='value'>{html.escape(str(tile['value'] if tile['value'] is not None else '—'))}"
                     f"</div><div class='delta{tone}'>{html.escape('' if delta is None else str(delta))}</div></div>")
    return f"<div class='tiles'>{''.join(cells)}</div>"


def chart_html(chart: Chart, interactive: bool = True) -> str:
    live = ""
    if chart.live is not None and interactive:
        live = (f"{LIVE}<div class='live'>"
                + chart.live().to_html(full_html=False, include_plotlyjs=False, config={"displaylogo": False})
                + f"</div>{LIVE_END}")
    return f"{live}<div class='print figure'>{chart.static}</div>"


def section_html(s: Section, interactive: bool = True) -> str:
    block = [f"<section class='{'appendix' if s.appendix else 'body'}'><h2>{html.escape(s.title)}</h2>"]
    if s.intro:
        block.append(f"<p class='intro'>{words(s.intro)}</p>")
    for tone, text in s.notes:
        block.append(f"<p class='callout {tone}'>{words(text)}</p>")
    if s.tiles:
        block.append(tiles_html(s.tiles))
    block.extend(chart_html(c, interactive) for c in s.charts)
    block.extend(table_html(tb) for tb in s.tables)
    block.append("</section>")
    return "".join(block)


CSS = """
@page{size:A4;margin:12mm 10mm}
body{font-family:"Noto Sans","Noto Sans CJK SC",Arial,sans-serif;margin:1.5rem auto;max-width:1100px;color:#1f2933;
font-size:14px}
h1{margin:0 0 .2rem;font-size:1.6rem} h2{margin:1.4rem 0 .4rem;font-size:1.2rem;break-after:avoid}
h3{font-size:1rem;margin:.8rem 0 .3rem;break-after:avoid}
.sub{color:#52606d;margin-top:0} .confidence{background:#f0f4f8;padding:.5rem .8rem;border-radius:6px;font-size:.8rem}
table{border-collapse:collapse;width:100%;font-size:.8rem;margin:.4rem 0}
th,td{border-bottom:1px solid #d9e2ec;padding:.22rem .4rem;text-align:left;vertical-align:top}
th{background:#f5f7fa} thead{display:table-header-group} tr{break-inside:avoid}
td{font-variant-numeric:tabular-nums} td:first-child{white-space:nowrap}
.empty,.more,.note{color:#52606d;font-style:italic;font-size:.8rem}
.intro{color:#3e4c59} .callout{padding:.45rem .7rem;border-radius:6px;border-left:4px solid #0072B2;background:#eef5fb}
.callout.good{border-color:#009E73;background:#e9f7f2} .callout.warn{border-color:#E69F00;background:#fdf5e6}
.callout.bad{border-color:#D55E00;background:#fcefe8}
.tiles{display:flex;gap:.6rem;margin:.6rem 0;break-inside:avoid}
.tile{flex:1;border:1px solid #d9e2ec;border-radius:8px;padding:.45rem .6rem}
.tile .label{font-size:.78rem;color:#52606d} .tile .value{font-size:1.35rem;font-weight:600}
.tile .delta{font-size:.8rem;color:#52606d} .tile .delta.good{color:#00805c} .tile .delta.bad{color:#b54700}
.figure{break-inside:avoid;margin:.4rem 0} .definitions li{margin:.2rem 0;font-size:.85rem}
section.appendix{font-size:.9em}
@media screen{.print{display:none}}
@media print{.live{display:none}}
"""


def render(title: str, subtitle: str, confidence: str, sections: list[Section], definitions: list[str],
           interactive: bool = True) -> str:
    """The pack's page; interactive=False leaves out the Plotly half (plotly.js and the live charts): the
    printed pack needs only the static SVG."""
    body = "".join(section_html(s, interactive) for s in sections if not s.appendix)
    appendix = "".join(section_html(s, interactive) for s in sections if s.appendix)
    script = f"{LIVE}<script type='text/javascript'>{get_plotlyjs()}</script>{LIVE_END}" if interactive else ""
    items = "".join(f"<li>{html.escape(d)}</li>" for d in definitions)
    return (f"<!doctype html><html lang='{html.escape(t('pack.lang'))}'><head><meta charset='utf-8'>"
            f"<title>{html.escape(title)}</title><style>{CSS}</style>"
            f"{script}</head><body>"
            f"<h1>{html.escape(title)}</h1><p class='sub'>{html.escape(subtitle)}</p>"
            f"<p class='confidence'>{html.escape(confidence)}</p>{body}"
            f"<section><h2>{html.escape(t('pack.definitions'))}</h2><ul class='definitions'>{items}</ul></section>"
            f"{appendix}</body></html>")


def printable(text: str) -> str:
    """The pack without its interactive half (plotly.js and the live charts): what the PDF prints."""
    return re.sub(re.escape(LIVE) + ".*?" + re.escape(LIVE_END), "", text, flags=re.S)
