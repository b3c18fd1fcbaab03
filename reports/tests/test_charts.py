"""The dashboard's SVG charts: well-formed, labelled for screen readers, Persian digits and month
names, one bar per district, a line per district that starts at its launch month, right to left,
and nothing a content security policy would refuse (no style attribute, no script)."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from reports import charts
from shahrvand import jalali

SVG = "{http://www.w3.org/2000/svg}"
DISTRICTS = ["منطقه یک", "منطقه دو", "منطقه سه", "منطقه چهار", "منطقه پنج"]


@pytest.fixture(autouse=True)
def _persian():
    with translation.override("fa"):
        yield


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(str(svg))


def _texts(root: ET.Element) -> list[str]:
    return [text.text or "" for text in root.iter(f"{SVG}text")]


def _months(count: int) -> list[jalali.JalaliMonth]:
    return jalali.jalali_months_up_to(dt.date(2026, 11, 29), count)  # up to Azar 1405


def _no_inline_style_or_script(svg: str) -> None:
    assert "style=" not in svg and "<script" not in svg and "on" + "load=" not in svg


def test_a_bar_per_district_with_persian_digits_and_a_summary():
    bars = list(zip(DISTRICTS, [1200, 0, 35, 7, 410], strict=True))
    svg = charts.bar_chart(bars, title="استعلام‌ها به تفکیک منطقه")
    root = _parse(svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "استعلام‌ها به تفکیک منطقه"
    rects = [rect for rect in root.iter(f"{SVG}rect") if rect.get("class") == "chart-bar"]
    assert [int(rect.get("data-value")) for rect in rects] == [1200, 0, 35, 7, 410]
    widths = [float(rect.get("width")) for rect in rects]
    assert widths[0] == max(widths) and widths[1] == 0 and widths[2] < widths[4]
    texts = _texts(root)
    assert "۱٬۲۰۰" in texts and "۴۱۰" in texts
    assert not any(re.search(r"[0-9]", text) for text in texts)
    # the summary names every district with its count, in Persian digits
    label = root.get("aria-label")
    assert "منطقه یک ۱٬۲۰۰" in label and "منطقه پنج ۴۱۰" in label
    _no_inline_style_or_script(svg)


def test_bars_grow_leftwards_from_the_labels_at_the_right():
    root = _parse(charts.bar_chart([("منطقه یک", 10), ("منطقه سه", 5)], title="t"))
    width = float(root.get("viewBox").split()[2])
    bar = next(rect for rect in root.iter(f"{SVG}rect") if rect.get("class") == "chart-bar")
    label = next(text for text in root.iter(f"{SVG}text") if text.text == "منطقه یک")
    # the label sits at the right edge, the bar ends at its left
    assert float(label.get("x")) > width * 0.9
    assert float(bar.get("x")) + float(bar.get("width")) < float(label.get("x"))
    assert root.get("direction") == "rtl"


def test_the_chart_scales_with_its_column_and_has_no_fixed_size():
    root = _parse(charts.bar_chart([("منطقه یک", 3)], title="t"))
    assert root.get("viewBox") and root.get("width") == "100%"
    assert root.get("height") is None


def test_a_line_per_district_starting_at_its_launch_month():
    months = _months(6)  # Tir .. Azar 1405
    series = [
        charts.Series("منطقه یک", [4, 6, 5, 9, 12, 10]),
        charts.Series("منطقه سه", [0, 0, 0, 2, 5, 8]),  # launched in Mehr 1405
        charts.Series("منطقه دو", [0, 0, 0, 0, 0, 0]),  # not online: no line
    ]
    svg = charts.trend_chart([m.label for m in months], series, title="روند ماهانه")
    root = _parse(svg)
    lines = {line.get("data-series"): line for line in root.iter(f"{SVG}polyline")}
    assert set(lines) == {"منطقه یک", "منطقه سه"}
    assert lines["منطقه یک"].get("data-start") == "تیر ۱۴۰۵"
    assert lines["منطقه سه"].get("data-start") == "مهر ۱۴۰۵"
    assert len(lines["منطقه یک"].get("points").split()) == 6
    assert len(lines["منطقه سه"].get("points").split()) == 3
    # the launch is marked and named where the line starts
    launch_labels = [
        t.text for t in root.iter(f"{SVG}text") if t.get("class") == "chart-launch-label"
    ]
    assert "منطقه سه" in launch_labels
    # the lines differ by more than colour
    assert lines["منطقه یک"].get("stroke-dasharray") != lines["منطقه سه"].get("stroke-dasharray")
    _no_inline_style_or_script(svg)


def test_the_months_run_from_right_oldest_to_left_newest_with_persian_names():
    months = _months(3)
    series = [charts.Series("منطقه یک", [1, 2, 3])]
    root = _parse(charts.trend_chart([m.label for m in months], series, title="t"))
    ticks = {
        t.text: float(t.get("x"))
        for t in root.iter(f"{SVG}text")
        if t.get("class") == "chart-month"
    }
    assert list(ticks) == ["مهر ۱۴۰۵", "آبان ۱۴۰۵", "آذر ۱۴۰۵"]
    xs = list(ticks.values())
    assert xs == sorted(xs, reverse=True)  # the oldest month furthest right
    points = [
        tuple(map(float, p.split(","))) for p in root.find(f"{SVG}polyline").get("points").split()
    ]
    assert points[0][0] > points[-1][0]
    assert not any(re.search(r"[0-9]", text) for text in _texts(root))


def test_the_trend_summary_names_each_district_and_its_start():
    months = _months(3)
    series = [charts.Series("منطقه یک", [0, 5, 7]), charts.Series("منطقه دو", [0, 0, 0])]
    label = _parse(charts.trend_chart([m.label for m in months], series, title="روند")).get(
        "aria-label"
    )
    assert "منطقه یک" in label and months[1].label in label and "۱۲" in label
    assert "منطقه دو" in label


def test_a_long_trend_labels_a_few_months_the_oldest_and_the_newest_among_them():
    months = _months(75)
    series = [charts.Series("منطقه یک", list(range(75)))]
    root = _parse(charts.trend_chart([m.label for m in months], series, title="t"))
    ticks = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "chart-month"]
    assert 2 <= len(ticks) <= 6
    assert (ticks[0], ticks[-1]) == (months[0].label, months[-1].label)


def test_text_is_escaped():
    svg = charts.bar_chart([("<b>&", 1)], title='"x" <y>')
    root = _parse(svg)
    assert "<b>&" in _texts(root)
