"""Static SVG charts for the printed pack: the same figures as the page's Plotly charts, drawn as plain
SVG so a PDF needs no plotly.js (parsing and drawing it was most of the 10 s a PDF took).

Each function takes plain lists (labels, values, colours, texts) already formatted by the views, and
returns an <svg> string; nothing here computes a figure."""
from __future__ import annotations

import html
import math
from collections.abc import Sequence

from analytics.views.style import GRID, INK

FONT = "font-family='Noto Sans, Noto Sans CJK SC, Arial, sans-serif'"
WIDTH = 800


def _text(x: float, y: float, text: str, size: int = 12, anchor: str = "start", color: str = INK,
          weight: str = "normal") -> str:
    return (f"<text x='{x:.1f}' y='{y:.1f}' font-size='{size}' text-anchor='{anchor}' fill='{color}' "
            f"font-weight='{weight}' {FONT}>{html.escape(text)}</text>")


def _svg(height: float, body: Sequence[str], width: int = WIDTH) -> str:
    return (f"<svg class='chart' xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height:.0f}' "
            f"width='100%' role='img'>{''.join(body)}</svg>")


def legend(items: Sequence[tuple[str, str]], x: float = 0, y: float = 14) -> list[str]:
    """Colour swatch and name per item, left to right."""
    out = []
    for name, color in items:
        out.append(f"<circle cx='{x + 6:.1f}' cy='{y - 4:.1f}' r='5' fill='white' stroke='{INK}' stroke-width='2'/>"
                   if color == "ring" else
                   f"<rect x='{x:.1f}' y='{y - 10:.1f}' width='12' height='12' rx='2' fill='{color}'/>")
        out.append(_text(x + 17, y, name, 12))
        x += 30 + 7.5 * len(name) * (1.8 if any(ord(c) > 0x2E80 for c in name) else 1)
    return out


def hbars(labels: Sequence[str], values: Sequence[float], colors: Sequence[str], texts: Sequence[str],
          legend_items: Sequence[tuple[str, str]], axis_title: str) -> str:
    """Horizontal bars around zero (a change in %), each with its text beside the bar's end."""
    left, right, row = 190, WIDTH - 20, 30
    top = 34
    extent = max([abs(v) for v in values] + [0.25]) * 1.9
    mid = (left + right) / 2
    scale = (right - left) / 2 / extent
    body = legend(legend_items)
    step = _tick_step(extent)
    k = -math.floor(extent / step)
    while k * step <= extent:
        x = mid + k * step * scale
        body.append(f"<line x1='{x:.1f}' x2='{x:.1f}' y1='{top}' y2='{top + row * len(labels)}' stroke='{GRID}'/>")
        body.append(_text(x, top + row * len(labels) + 16, f"{k * step:+.0%}", 11, "middle"))
        k += 1
    for i, (label, value, color, text) in enumerate(zip(labels, values, colors, texts, strict=True)):
        y = top + i * row
        x0, x1 = sorted((mid, mid + value * scale))
        body.append(f"<rect x='{x0:.1f}' y='{y + 5}' width='{max(x1 - x0, 1):.1f}' height='{row - 10}' "
                    f"fill='{color}'/>")
        body.append(_text(left - 8, y + row / 2 + 4, label, 12, "end"))
        tx, anchor = (x1 + 5, "start") if value >= 0 else (x0 - 5, "end")
        body.append(_text(tx, y + row / 2 + 4, text, 11, anchor))
    body.append(f"<line x1='{mid}' x2='{mid}' y1='{top}' y2='{top + row * len(labels)}' stroke='{INK}'/>")
    body.append(_text(mid, top + row * len(labels) + 32, axis_title, 12, "middle"))
    return _svg(top + row * len(labels) + 40, body)


def _tick_step(extent: float) -> float:
    for step in (0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0):
        if extent / step <= 5:
            return step
    return 20.0


def dots(labels: Sequence[str], baselines: Sequence[float | None], rates: Sequence[float],
         colors: Sequence[str], texts: Sequence[str], legend_items: Sequence[tuple[str, str]],
         axis_title: str) -> str:
    """Per row a ring (the baseline) and a dot (the latest rate) on a 0–100% axis, joined by a line."""
    left, right, row, top = 260, WIDTH - 40, 34, 34
    scale = (right - left)
    body = legend(legend_items)
    for k in range(0, 11, 2):
        x = left + k / 10 * scale
        body.append(f"<line x1='{x:.1f}' x2='{x:.1f}' y1='{top}' y2='{top + row * len(labels)}' stroke='{GRID}'/>")
        body.append(_text(x, top + row * len(labels) + 16, f"{k * 10}%", 11, "middle"))
    for i, (label, base, rate, color, text) in enumerate(zip(labels, baselines, rates, colors, texts, strict=True)):
        y = top + i * row + row / 2
        xr = left + rate * scale
        body.append(_text(left - 12, y + 4, label, 12, "end"))
        if base is not None:
            xb = left + base * scale
            body.append(f"<line x1='{xb:.1f}' x2='{xr:.1f}' y1='{y}' y2='{y}' stroke='#C9CED6' stroke-width='3'/>")
            body.append(f"<circle cx='{xb:.1f}' cy='{y}' r='6' fill='white' stroke='{INK}' stroke-width='2'/>")
        body.append(f"<circle cx='{xr:.1f}' cy='{y}' r='6.5' fill='{color}'/>")
        after = base is None or rate >= base or xr - left < 44  # no room on the left: beside it, right
        body.append(_text(xr + (10 if after else -10), y + 4, text, 11, "start" if after else "end"))
    body.append(_text((left + right) / 2, top + row * len(labels) + 32, axis_title, 12, "middle"))
    return _svg(top + row * len(labels) + 40, body)


def lines(panels: Sequence[dict], columns: int = 3) -> str:
    """Small multiples: each panel {title, x (labels), y (values or None), low, high (band or None),
    hollow (per point), color, percent, shade (the index of a point to shade, or None)}."""
    pw, ph, gap = (WIDTH - 20) / columns, 190, 16
    body: list[str] = []
    for i, p in enumerate(panels):
        ox, oy = (i % columns) * pw, (i // columns) * (ph + gap)
        left, right, top, bottom = ox + 44, ox + pw - 14, oy + 26, oy + ph - 24
        body.append(_text(ox + pw / 2, oy + 14, p["title"], 13, "middle", weight="bold"))
        values = [v for v in [*p["y"], *(p.get("high") or [])] if v is not None]
        high = nice_top(max(values, default=0) * 1.05 or 1.0)
        if p["percent"] and max(values, default=0) <= 1:
            high = min(high, 1.0)
        n = len(p["x"])
        xs = [left + (right - left) * (k / max(n - 1, 1)) for k in range(n)]

        def ys(v, top=top, bottom=bottom, high=high):
            return bottom - (bottom - top) * (v / high)
        for k in range(5):
            v = high * k / 4
            y = ys(v)
            body.append(f"<line x1='{left:.1f}' x2='{right:.1f}' y1='{y:.1f}' y2='{y:.1f}' stroke='{GRID}'/>")
            body.append(_text(left - 4, y + 4, f"{v:.0%}" if p["percent"] else f"{v:,.0f}", 10, "end"))
        for k in range(0, n, 2):
            body.append(_text(xs[k], bottom + 15, p["x"][k], 10, "middle"))
        if p.get("shade") is not None and n > 1:  # the month in progress
            half = (right - left) / (n - 1) / 2
            body.append(f"<rect x='{xs[p['shade']] - half:.1f}' y='{top}' width='{2 * half:.1f}' "
                        f"height='{bottom - top}' fill='#9CA3AF' fill-opacity='0.18'/>")
        if p.get("low") and p.get("high"):
            pts = [(x, h) for x, h in zip(xs, p["high"], strict=True) if h is not None]
            pts += [(x, lo) for x, lo in reversed(list(zip(xs, p["low"], strict=True))) if lo is not None]
            if pts:
                path = " ".join(f"{x:.1f},{ys(v):.1f}" for x, v in pts)
                body.append(f"<polygon points='{path}' fill='{p['color']}' fill-opacity='0.14'/>")
        pts = [(x, ys(v)) for x, v in zip(xs, p["y"], strict=True) if v is not None]
        if len(pts) > 1:
            body.append(f"<polyline points='{' '.join(f'{x:.1f},{y:.1f}' for x, y in pts)}' fill='none' "
                        f"stroke='{p['color']}' stroke-width='2'/>")
        for x, v, hollow in zip(xs, p["y"], p["hollow"], strict=True):
            if v is not None:
                body.append(f"<circle cx='{x:.1f}' cy='{ys(v):.1f}' r='3.5' fill='{'white' if hollow else p['color']}'"
                            f" stroke='{p['color']}' stroke-width='2'/>")
    rows = (len(panels) + columns - 1) // columns
    return _svg(rows * (ph + gap), body)


def nice_top(value: float) -> float:
    """The axis top above `value` that four round steps reach (0.2 → 0.2, 0.82 → 1, 74 → 80)."""
    magnitude = 10 ** math.floor(math.log10(value / 4)) if value > 0 else 1
    for step in (1, 2, 2.5, 5, 10):
        if 4 * step * magnitude >= value:
            return 4 * step * magnitude
    return value


def heat(rows: Sequence[str], columns: Sequence[str], z: Sequence[Sequence[float | None]],
         color, x_title: str = "") -> str:
    """A grid of cells: color(value) fills each, the value in % written inside; None stays blank."""
    left, top, cell_h = 190, 40 if x_title else 24, 24
    cell_w = min(70, (WIDTH - left - 10) / max(len(columns), 1))
    body = []
    if x_title:
        body.append(_text(left + cell_w * len(columns) / 2, 12, x_title, 12, "middle"))
    for j, name in enumerate(columns):
        body.append(_text(left + cell_w * (j + 0.5), top - 6, name, 10 if len(name) > 6 else 11, "middle"))
    for i, (name, values) in enumerate(zip(rows, z, strict=True)):
        y = top + i * cell_h
        body.append(_text(left - 8, y + cell_h / 2 + 4, name, 11, "end"))
        for j, v in enumerate(values):
            if v is None or v != v:
                continue
            fill, ink = color(v)
            body.append(f"<rect x='{left + j * cell_w:.1f}' y='{y:.1f}' width='{cell_w - 1:.1f}' height='{cell_h - 1}' "
                        f"fill='{fill}'/>")
            body.append(_text(left + cell_w * (j + 0.5), y + cell_h / 2 + 4, f"{v:.0%}", 10, "middle", ink))
    return _svg(top + cell_h * len(rows) + 8, body)


def blues(v: float) -> tuple[str, str]:
    """White to blue by share (0–1), with a readable ink."""
    v = min(max(v, 0.0), 1.0)
    r, g, b = (int(255 + (c - 255) * v) for c in (0x08, 0x51, 0x9C))
    return f"rgb({r},{g},{b})", ("white" if v > 0.55 else INK)


def attainment(v: float) -> tuple[str, str]:
    """Orange below 100% of target, green at or above (as the page's targets chart)."""
    if v >= 1:
        return ("#009E73" if v >= 1.5 else "#E6F4EA"), ("white" if v >= 1.5 else INK)
    return ("#D55E00" if v < 0.5 else "#FFF3E0"), ("white" if v < 0.5 else INK)

