"""Month-by-month charts drawn by the plugin as inline SVG.

No chart plugin fits: datasette-vega's last release is from 2018, and datasette-dashboards (which does bundle
Vega) draws its charts in the browser from ad-hoc `?sql=` requests on dashboard pages of its own, not inside
the entity and timeline pages. Plain SVG needs no JavaScript and nothing from a CDN, shows in a saved page,
and every bar and point carries its figure as a tooltip (<title>). Names go through markupsafe's escaping.
"""

from __future__ import annotations

import re

from markupsafe import Markup

WIDTH, HEIGHT = 760, 180
LEFT, BOTTOM, TOP = 40, 22, 10  # room for the axis labels
MIN_MONTHS = 12
MAX_MONTHS = 240  # a stray date decades off would otherwise squeeze every bar to nothing: the latest 20 years
COLOURS = ["#3b6ea5", "#d9822b", "#4f9a55", "#b0413e", "#7d5ba6", "#8c6d31", "#3f9c9c", "#c45c9a"]
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")

Series = dict[str, dict[str, int]]  # series name -> month (YYYY-MM) -> value


def month_series(rows, series_column: str, month_column: str = "month", value_column: str = "n") -> Series:
    """Query rows (series, month, value) as a Series; rows whose month is not YYYY-MM are left out."""
    series: Series = {}
    for row in rows:
        if row[month_column] and MONTH.match(row[month_column]):
            named = series.setdefault(row[series_column] or "(none)", {})
            named[row[month_column]] = named.get(row[month_column], 0) + (row[value_column] or 0)
    return series


def add_months(month: str, count: int) -> str:
    index = int(month[:4]) * 12 + int(month[5:]) - 1 + count
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def months_between(first: str, last: str) -> list[str]:
    """Every month from first to last, so that a month without any stays visible as a gap; at least a year,
    so that a single month is one bar among empty months rather than a block across the chart."""
    first = min(first, add_months(last, 1 - MIN_MONTHS))
    months = []
    while first <= last:
        months.append(first)
        first = add_months(first, 1)
    return months[-MAX_MONTHS:]


def chart(series: Series, label: str, kind: str = "bars") -> Markup | None:
    """Stacked bars (parts of one whole: a source's articles, an entity's mentions in articles and comments)
    or lines (things compared: actors); None when nothing is dated."""
    dated = [month for values in series.values() for month in values]
    if not dated:
        return None
    months = months_between(min(dated), max(dated))
    if kind == "bars":
        top = max(sum(values.get(m, 0) for values in series.values()) for m in months)
    else:
        top = max(max(values.get(m, 0) for m in months) for values in series.values())
    top = max(top, 1)
    step = (WIDTH - LEFT) / len(months)
    height = HEIGHT - BOTTOM - TOP

    def y(value: float) -> float:
        return TOP + height - height * value / top

    marks = bars(series, months, step, y) if kind == "bars" else lines(series, months, step, y)
    axis = [Markup('<line x1="{}" y1="{}" x2="{}" y2="{}" class="fl-axis"/>').format(LEFT, y(0), WIDTH, y(0)),
            Markup('<text x="{}" y="{}" text-anchor="end" class="fl-tick">{}</text>').format(LEFT - 4, y(top) + 4, top),
            Markup('<text x="{}" y="{}" text-anchor="end" class="fl-tick">0</text>').format(LEFT - 4, y(0))]
    every = max(1, round(len(months) / 10))
    for index, month in enumerate(months):
        if index % every == 0:
            axis.append(Markup('<text x="{:.1f}" y="{}" text-anchor="middle" class="fl-tick">{}</text>')
                        .format(LEFT + step * (index + 0.5), HEIGHT - 6, month))
    legend = Markup("").join(
        Markup('<li><span class="fl-swatch" style="background:{}"></span>{}</li>').format(COLOURS[i % len(COLOURS)], name)
        for i, name in enumerate(series))
    return Markup('<figure class="fl-chart"><svg viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
                  'aria-label="{label}">{marks}{axis}</svg><ul class="fl-legend">{legend}</ul></figure>').format(
        w=WIDTH, h=HEIGHT, label=label, marks=Markup("").join(marks), axis=Markup("").join(axis), legend=legend)


def bars(series: Series, months: list[str], step: float, y) -> list[Markup]:
    marks = []
    for index, month in enumerate(months):
        base = 0
        for number, (name, values) in enumerate(series.items()):
            value = values.get(month, 0)
            if value:
                marks.append(Markup('<rect class="fl-bar" x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" '
                                    'fill="{}"><title>{} · {}: {}</title></rect>').format(
                    LEFT + step * index + step * 0.1, y(base + value), step * 0.8, y(base) - y(base + value),
                    COLOURS[number % len(COLOURS)], month, name, value))
                base += value
    return marks


def lines(series: Series, months: list[str], step: float, y) -> list[Markup]:
    marks = []
    for number, (name, values) in enumerate(series.items()):
        colour = COLOURS[number % len(COLOURS)]
        points = [(LEFT + step * (i + 0.5), y(values.get(month, 0))) for i, month in enumerate(months)]
        marks.append(Markup('<polyline class="fl-line" fill="none" stroke="{}" stroke-width="2" points="{}"/>').format(
            colour, " ".join(f"{px:.1f},{py:.1f}" for px, py in points)))
        marks += [Markup('<circle class="fl-point" cx="{:.1f}" cy="{:.1f}" r="3" fill="{}"><title>{} · {}: {}</title>'
                         '</circle>').format(px, py, colour, month, name, values[month])
                  for (px, py), month in zip(points, months) if values.get(month)]
    return marks
