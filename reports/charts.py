"""The dashboard's charts, drawn on the server as inline SVG: no JavaScript, no library, nothing
fetched.

They read right to left, as the page does:

- bar charts put each label at the right edge and grow their bars leftwards from it;
- the monthly trend's x axis runs from the right (the oldest month) to the left (the newest), with
  the counts' axis on the right. A district's line starts at its first month with inquiries; when
  that month is its launch the point is marked with a filled shape and the district's name.

Every chart has a ``viewBox`` and no fixed size (the stylesheet gives it the column's width), so it
shrinks to a phone's 390 px; its fonts are sized for that width. Lines differ by colour, by dash
pattern and by the shape of their marks, so they are told apart without colour. Styling is done
with SVG presentation attributes and classes only (no ``style`` attribute, no script), so that a
content security policy without 'unsafe-inline' allows them. Each chart has ``role="img"``, an
``aria-label`` that says what it shows, and a ``<title>``; the page follows it with the same
figures as a table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from shahrvand.text import format_number, reader_reads_persian

WIDTH = 400  # user units; about one per CSS pixel on a phone
FONT = 14
SMALL_FONT = 13
TEXT = "#212529"
MUTED = "#5c636a"  # 6:1 on white
GRID = "#dee2e6"
BAR = "#1f5f8b"  # 6.9:1 on white
# Colours with at least 3:1 against white (WCAG's non-text contrast), dash patterns and mark shapes:
# a line is told apart by any one of the three.
LINE_COLOURS = ("#0b5394", "#b45309", "#0f7b4d", "#a21caf", "#b91c1c", "#374151")
DASHES = ("", "8 4", "2 3", "10 3 2 3", "4 4", "1 2")
SHAPES = ("circle", "square", "triangle", "diamond", "ring", "cross")


def number(value: float) -> str:
    """A count in the reader's digits, grouped: 1234 -> '۱٬۲۳۴'."""
    return format_number(value, persian=reader_reads_persian())


def _attrs(**attributes) -> str:
    """SVG attributes, escaped; a trailing underscore is dropped and other underscores become
    dashes (``stroke_width=2`` -> ``stroke-width="2"``, ``class_=`` -> ``class=``)."""
    parts = []
    for name, value in attributes.items():
        if value is None or value == "":
            continue
        name = name.rstrip("_").replace("_", "-")
        if isinstance(value, float):
            value = f"{value:.1f}".removesuffix(".0")
        parts.append(f'{name}="{escape(str(value))}"')
    return " ".join(parts)


def _el(tag: str, content: str | None = None, **attributes) -> str:
    """One SVG element; ``content`` is markup already escaped."""
    if content is None:
        return f"<{tag} {_attrs(**attributes)}/>"
    return f"<{tag} {_attrs(**attributes)}>{content}</{tag}>"


def _svg(body: list[str], *, height: float, title: str, label: str, testid: str) -> SafeString:
    head = _attrs(
        xmlns="http://www.w3.org/2000/svg",
        viewBox=f"0 0 {WIDTH} {math.ceil(height)}",
        width="100%",
        class_="report-chart",
        role="img",
        aria_label=label,
        direction="rtl",
        font_family="Vazirmatn, Tahoma, sans-serif",
        font_size=FONT,
        data_testid=testid,
    )
    # Every text and attribute value in ``head`` and ``body`` is escaped where it is made.
    svg = f"<svg {head}><title>{escape(title)}</title>{''.join(body)}</svg>"
    return mark_safe(svg)  # nosec B308 B703


def bar_chart(
    bars: Sequence[tuple[str, int]], *, title: str, testid: str = "bar-chart"
) -> SafeString:
    """Horizontal bars, one per (label, count), labels at the right, each bar's count at its end."""
    label_width, value_width, row, bar_height, top = 134, 46, 30, 20, 6
    right = WIDTH - label_width  # where the bars start
    span = right - value_width - 4
    largest = max((count for _label, count in bars), default=0)
    body = []
    for index, (label, count) in enumerate(bars):
        y = top + index * row
        length = span * count / largest if largest else 0
        shown = escape(number(count))
        body.append(
            _el("text", escape(label), x=WIDTH - 2, y=y + 15, fill=TEXT, text_anchor="start")
        )
        body.append(
            _el(
                "rect",
                f"<title>{escape(label)}: {shown}</title>",
                x=right - length,
                y=y,
                width=length,
                height=bar_height,
                fill=BAR,
                class_="chart-bar",
                data_value=count,
            )
        )
        body.append(
            _el("text", shown, x=right - length - 4, y=y + 15, fill=TEXT, text_anchor="start")
        )
    body.append(
        _el("line", x1=right, x2=right, y1=top - 2, y2=top + len(bars) * row - 8, stroke=MUTED)
    )
    summary = "، ".join(f"{label} {number(count)}" for label, count in bars)
    return _svg(
        body,
        height=top + len(bars) * row,
        title=title,
        label=f"{title}: {summary}" if bars else title,
        testid=testid,
    )


@dataclass(frozen=True)
class Series:
    """One district's line: a count per month (the chart's months, oldest first). ``launched``
    says the first month with inquiries is the district's launch (not only the chart's start)."""

    name: str
    values: Sequence[int]
    launched: bool = True

    @property
    def start(self) -> int | None:
        """The index of the first month with inquiries; None when there is none."""
        return next((i for i, value in enumerate(self.values) if value), None)


def _nice_step(largest: int, ticks: int) -> int:
    """A round step (1, 2 or 5 times a power of ten) so that ``ticks`` steps reach ``largest``."""
    if largest <= ticks:
        return 1
    raw = largest / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(power * f for f in (1, 2, 5, 10) if power * f >= raw)


def _mark(shape: str, x: float, y: float, colour: str, *, size: float = 4.5) -> str:
    """A filled shape (or a ring, or a cross) centred on (x, y)."""
    common = {"fill": colour, "stroke": colour, "class_": "chart-launch"}
    if shape == "circle":
        return _el("circle", cx=x, cy=y, r=size, **common)
    if shape == "ring":
        return _el("circle", cx=x, cy=y, r=size, **common | {"fill": "#ffffff"}, stroke_width=2)
    if shape == "square":
        s = size * 0.9
        return _el("rect", x=x - s, y=y - s, width=2 * s, height=2 * s, **common)
    if shape == "triangle":
        corners = ((x, y - size - 1), (x - size, y + size), (x + size, y + size))
    elif shape == "diamond":
        s = size + 1
        corners = ((x, y - s), (x - s, y), (x, y + s), (x + s, y))
    else:  # a cross
        s = size
        d = (
            f"M{x - s:.1f},{y - s:.1f}L{x + s:.1f},{y + s:.1f}"
            f"M{x - s:.1f},{y + s:.1f}L{x + s:.1f},{y - s:.1f}"
        )
        return _el("path", d=d, **common | {"fill": "none"}, stroke_width=2.5)
    points = " ".join(f"{px:.1f},{py:.1f}" for px, py in corners)
    return _el("polygon", points=points, **common)


def _month_ticks(labels: Sequence[str], dx: float) -> list[int]:
    """Which months get a label, ``dx`` apart: the newest, the oldest, and as many between as fit
    without two labels touching. The end labels read away from the chart's edges (the newest
    rightwards from its tick, the oldest leftwards), the others are centred on theirs."""
    count = len(labels)
    if count <= 1:
        return list(range(count))
    width = max(len(label) for label in labels) * 0.5 * SMALL_FONT + 8  # a Persian glyph's width

    def span(index: int) -> tuple[float, float]:
        """The label's extent, measured from the newest month's tick."""
        at = (count - 1 - index) * dx
        if index == count - 1:
            return at, at + width
        if index == 0:
            return at - width, at
        return at - width / 2, at + width / 2

    ticks = [count - 1]
    for index in range(count - 2, 0, -1):
        if span(index)[0] >= span(ticks[-1])[1]:
            ticks.append(index)
    while len(ticks) > 1 and span(0)[0] < span(ticks[-1])[1]:
        ticks.pop()  # the oldest month's label wins over its neighbour's
    return sorted([*ticks, 0])


def trend_chart(
    months: Sequence[str], series: Sequence[Series], *, title: str, testid: str = "trend-chart"
) -> SafeString:
    """A line per district over the months (labels oldest first), right to left."""
    columns = 3
    drawn = [(index, one) for index, one in enumerate(series) if one.start is not None]
    legend_rows = math.ceil(len(drawn) / columns)
    top = 8 + legend_rows * 22 + 16  # the legend, then room for launch labels
    plot_height, bottom = 150, 34
    right, left = WIDTH - 40, 14  # the counts' axis at the right
    height = top + plot_height + bottom
    largest = max((max(s.values, default=0) for s in series), default=0)
    step = _nice_step(largest, 4)
    ceiling = max(step * 4, 1)
    count = len(months)
    dx = (right - left) / (count - 1) if count > 1 else 0

    def x_at(index: int) -> float:
        return right - index * dx if count > 1 else (right + left) / 2

    def y_at(value: float) -> float:
        return top + plot_height - plot_height * value / ceiling

    body = []
    # The legend: a sample of each line (colour, dash, mark) and the district's name.
    item_width = WIDTH / columns
    for place, (index, one) in enumerate(drawn):
        colour, dash, shape = _style(index)
        row, column = divmod(place, columns)
        x0 = WIDTH - 4 - column * item_width
        y = 8 + row * 22 + 6
        body.append(
            _el(
                "line",
                x1=x0,
                x2=x0 - 26,
                y1=y,
                y2=y,
                stroke=colour,
                stroke_width=2.5,
                stroke_dasharray=dash,
            )
        )
        body.append(_mark(shape, x0 - 13, y, colour, size=3.5))
        body.append(
            _el("text", escape(one.name), x=x0 - 32, y=y + 4, fill=TEXT, text_anchor="start")
        )
    # The counts' grid and axis, at the right.
    for tick in range(0, ceiling + 1, step):
        y = y_at(tick)
        body.append(_el("line", x1=left, x2=right, y1=y, y2=y, stroke=GRID))
        body.append(
            _el(
                "text",
                escape(number(tick)),
                x=WIDTH - 4,
                y=y + 4,
                fill=MUTED,
                font_size=SMALL_FONT,
                text_anchor="start",
            )
        )
    # The months, oldest at the right.
    base = top + plot_height
    for index in _month_ticks(months, dx):
        x = x_at(index)
        # The end labels stay inside the chart: the oldest reads leftwards from its tick (its
        # right end there), the newest rightwards; the others are centred.
        anchor = "middle"
        if count > 1 and index == 0:
            anchor = "start"
        elif count > 1 and index == count - 1:
            anchor = "end"
        body.append(_el("line", x1=x, x2=x, y1=base, y2=base + 4, stroke=MUTED))
        body.append(
            _el(
                "text",
                escape(months[index]),
                x=x,
                y=base + 17,
                fill=MUTED,
                font_size=SMALL_FONT,
                text_anchor=anchor,
                class_="chart-month",
            )
        )
    # The lines, each from its first month with inquiries; its launch marked and named.
    labelled: list[tuple[float, float]] = []
    for index, one in enumerate(series):
        colour, dash, shape = _style(index)
        start = one.start
        if start is None:
            continue
        points = [(x_at(i), y_at(v)) for i, v in enumerate(one.values) if i >= start]
        body.append(
            _el(
                "polyline",
                points=" ".join(f"{x:.1f},{y:.1f}" for x, y in points),
                fill="none",
                stroke=colour,
                stroke_width=2.5,
                stroke_dasharray=dash,
                stroke_linejoin="round",
                class_="chart-line",
                data_series=one.name,
                data_start=months[start],
            )
        )
        if one.launched:
            x, y = points[0]
            body.append(_mark(shape, x, y, colour))
            label_y = y - 9
            while any(abs(x - lx) < 50 and abs(label_y - ly) < 11 for lx, ly in labelled):
                label_y -= 11
            labelled.append((x, label_y))
            # The name reads away from the nearer edge: leftwards from a point in the right half
            # (its right end by the point), rightwards from one in the left half.
            right_half = x > (left + right) / 2
            body.append(
                _el(
                    "text",
                    escape(one.name),
                    x=x + 4 if right_half else x - 4,
                    y=label_y,
                    fill=colour,
                    font_size=SMALL_FONT,
                    text_anchor="start" if right_half else "end",
                    stroke="#ffffff",
                    stroke_width=3,
                    paint_order="stroke",
                    class_="chart-launch-label",
                )
            )
    return _svg(
        body, height=height, title=title, label=_trend_summary(title, months, series), testid=testid
    )


def _style(index: int) -> tuple[str, str, str]:
    return (
        LINE_COLOURS[index % len(LINE_COLOURS)],
        DASHES[index % len(DASHES)],
        SHAPES[index % len(SHAPES)],
    )


def _trend_summary(title: str, months: Sequence[str], series: Sequence[Series]) -> str:
    if not months:
        return title
    parts = [
        _("%(title)s, %(first)s to %(last)s")
        % {"title": title, "first": months[0], "last": months[-1]}
    ]
    for one in series:
        start = one.start
        if start is None:
            parts.append(_("%(name)s: none") % {"name": one.name})
            continue
        parts.append(
            _("%(name)s: from %(month)s, %(total)s in all, %(latest)s in the last month")
            % {
                "name": one.name,
                "month": months[start],
                "total": number(sum(one.values)),
                "latest": number(one.values[-1]),
            }
        )
    return "؛ ".join(parts) if reader_reads_persian() else "; ".join(parts)
