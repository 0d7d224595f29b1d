"""Charts drawn on the server as SVG: no chart library, no CDN, nothing for a CSP to block.

Colours are SVG presentation attributes (not ``style``), so a strict style-src holds too.
Every chart carries a title and description for screen readers; the pages also show the
numbers as a table.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from casework.instruments.selectors import readable_results

COLOURS = {
    "low": "#2e8b57",
    "moderate": "#d49a00",
    "high": "#c0392b",
    "complex": "#6f42c1",
    "none": "#b8c2cc",
    "met": "#2e8b57",
    "partly_met": "#d49a00",
    "not_met": "#c0392b",
    "closed": "#1d5b8c",
    # Closure reasons: completed in green, the rest in calm, distinct tones.
    "completed": "#2e8b57",
    "not_eligible": "#7b8794",
    "declined": "#b0872a",
    "referred_elsewhere": "#3f7cac",
    "deceased": "#3e4c59",
    "moved_away": "#8e6c8a",
    "declined_services": "#c26d2f",
    "lost_to_contact": "#c0392b",
    "transferred": "#5b7f3a",
}
AXIS = "#4a5566"
GRID = "#e3e8ee"


@dataclass(frozen=True)
class Point:
    on: dt.date
    value: int
    band: str


def instrument_points(user: Any, client_id: int, instrument: str) -> list[Point]:
    """The client's results on one instrument over time, across the cases the user may see
    (the API's trend, drawn)."""
    rows = (
        readable_results(user)
        .filter(client_id=client_id, instrument=instrument)
        .exclude(total__isnull=True)
        .order_by("administered_on", "recorded_at", "id")
    )
    return [Point(r.administered_on, int(r.total or 0), r.band) for r in rows]


def _svg(width: int, height: int, title: str, desc: str, body: str) -> SafeString:
    ident = f"chart{zlib.crc32((title + desc).encode()):x}"
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-t {}-d" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{}-t">{}</title><desc id="{}-d">{}</desc>'
        "{}</svg>",
        width,
        height,
        ident,
        ident,
        ident,
        title,
        ident,
        desc,
        # The body is built in this module from numbers and escaped text only.
        mark_safe(body),  # noqa: S308
    )


def trend(points: Sequence[Point], *, title: str = "", maximum: int | None = None) -> SafeString:
    """A line of totals over time with a dot and label at each administration."""
    width, height, left, right, top, bottom = 560, 220, 40, 16, 16, 40
    top_value = max([p.value for p in points] + [maximum or 0, 1])
    plot_w, plot_h = width - left - right, height - top - bottom
    first, last = points[0].on, points[-1].on
    span = max((last - first).days, 1)

    def x(p: Point) -> float:
        if len(points) == 1:
            return left + plot_w / 2
        return left + (p.on - first).days / span * plot_w

    def y(value: float) -> float:
        return top + plot_h - value / top_value * plot_h

    parts = []
    for tick in _ticks(top_value):
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            f'stroke="{GRID}"/><text x="{left - 6}" y="{y(tick) + 4:.1f}" font-size="11" '
            f'text-anchor="end" fill="{AXIS}">{tick}</text>'
        )
    line = " ".join(f"{x(p):.1f},{y(p.value):.1f}" for p in points)
    parts.append(f'<polyline points="{line}" fill="none" stroke="#1d5b8c" stroke-width="2.5"/>')
    for p in points:
        parts.append(
            f'<circle cx="{x(p):.1f}" cy="{y(p.value):.1f}" r="4.5" fill="#fff" '
            f'stroke="#1d5b8c" stroke-width="2"/><text x="{x(p):.1f}" y="{y(p.value) - 9:.1f}" '
            f'font-size="11" text-anchor="middle" fill="#1b2330">{p.value}</text>'
        )
    labels = [points[0], points[-1]] if len(points) > 1 else points
    for p in labels:
        parts.append(
            f'<text x="{x(p):.1f}" y="{height - bottom + 18}" font-size="11" '
            f'text-anchor="middle" fill="{AXIS}">{escape(p.on.isoformat())}</text>'
        )
    desc = "; ".join(f"{p.on.isoformat()}: {p.value}" for p in points)
    return _svg(width, height, title or "Trend", desc, "".join(parts))


def _ticks(top: int) -> list[int]:
    step = max(1, round(top / 4))
    return list(range(0, top + 1, step))


def stacked_bars(
    rows: Sequence[tuple[str, dict[str, int]]], series: Sequence[str], *, title: str
) -> SafeString:
    """Horizontal stacked bars: one bar per row (a case manager, a program), one colour per
    series (tiers, outcomes), with the count written in each segment wide enough for it."""
    bar, gap, label_w, width = 22, 12, 170, 620
    height = max(len(rows), 1) * (bar + gap) + 10
    total_max = max([sum(v.values()) for _, v in rows] + [1])
    scale = (width - label_w - 50) / total_max
    parts = []
    for n, (label, values) in enumerate(rows):
        top = n * (bar + gap) + 5
        parts.append(
            f'<text x="{label_w - 8}" y="{top + bar * 0.7:.1f}" font-size="12" '
            f'text-anchor="end" fill="#1b2330">{escape(_clip(label))}</text>'
        )
        x = float(label_w)
        for key in series:
            count = values.get(key, 0)
            if not count:
                continue
            w = count * scale
            parts.append(
                f'<rect x="{x:.1f}" y="{top}" width="{w:.1f}" height="{bar}" '
                f'fill="{COLOURS.get(key, "#888")}"><title>{escape(key)}: {count}</title></rect>'
            )
            if w >= 18:
                parts.append(
                    f'<text x="{x + w / 2:.1f}" y="{top + bar * 0.7:.1f}" font-size="11" '
                    f'text-anchor="middle" fill="#fff" font-weight="700">{count}</text>'
                )
            x += w
        parts.append(
            f'<text x="{x + 6:.1f}" y="{top + bar * 0.7:.1f}" font-size="11" '
            f'fill="{AXIS}">{sum(values.values())}</text>'
        )
    desc = "; ".join(
        f"{label}: " + ", ".join(f"{k} {v.get(k, 0)}" for k in series) for label, v in rows
    )
    return _svg(width, height, title, desc, "".join(parts))


def _clip(text: str, size: int = 24) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"
