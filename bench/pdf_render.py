"""Answer PDFs: a warm worker process against the naive way (a fresh process per PDF, a plain
``weasyprint.HTML(...).write_pdf()``), and the worker's memory over many PDFs.

    .venv/bin/python bench/pdf_render.py [--warm 200] [--naive 20] [--memory 1000]

Prints median and p95 milliseconds per PDF, the ratio, and resident memory. Targets: median
<= 100 ms warm, >= 5x faster than naive, <= 200 MB RSS after 1,000 PDFs with no growth.
Timings on a shared machine are noisy: compare medians of several runs.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _setup import ROOT, django_with_temp_database, percentile, rss_mb, signed_answer

NAIVE = """
import sys, weasyprint
html, css, out = sys.argv[1:4]
weasyprint.HTML(filename=html).write_pdf(out, stylesheets=[weasyprint.CSS(filename=css)])
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--warm", type=int, default=200, help="PDFs in the warm process")
    parser.add_argument("--naive", type=int, default=20, help="fresh processes, one PDF each")
    parser.add_argument("--memory", type=int, default=1000, help="PDFs for the memory check")
    args = parser.parse_args()

    django_with_temp_database(LOG_LEVEL="WARNING")  # the set-up's SMS tasks stay quiet
    from django.template.loader import render_to_string
    from django.utils import translation

    from inquiries.answer_pdf import (
        STYLESHEETS,
        answer_for_pdf,
        answer_pdf_bytes,
        answer_pdf_context,
    )
    from inquiries.models import Answer

    answer = Answer.objects.get(pk=signed_answer().pk)

    # --- warm: what the Celery worker does per task, after its first PDF ------------------------
    first_start = time.perf_counter()
    answer_pdf_bytes(answer)
    first_ms = (time.perf_counter() - first_start) * 1000
    warm, warm_cpu = [], []
    for _ in range(args.warm):
        start, start_cpu = time.perf_counter(), time.process_time()
        answer_pdf_bytes(answer_for_pdf(answer.pk))  # as the task does: look the row up, render
        warm.append((time.perf_counter() - start) * 1000)
        warm_cpu.append((time.process_time() - start_cpu) * 1000)

    # --- naive: the same HTML and CSS, a new Python process per PDF -----------------------------
    with translation.override("fa"):
        html = render_to_string("pdf/answer.html", answer_pdf_context(answer))
    workdir = Path(tempfile.mkdtemp(prefix="shahrvand-naive-"))
    static = ROOT / "static"
    html_file = static / "_bench_answer.html"  # beside the assets, so relative URLs resolve
    html_file.write_text(html, encoding="utf-8")
    naive = []
    try:
        for i in range(args.naive):
            start = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    "-c",
                    NAIVE,
                    str(html_file),
                    str(static / STYLESHEETS[0]),
                    str(workdir / f"{i}.pdf"),
                ],
                check=True,
                capture_output=True,
            )
            naive.append((time.perf_counter() - start) * 1000)
    finally:
        html_file.unlink(missing_ok=True)

    # --- memory: many PDFs in one process --------------------------------------------------------
    marks = {}
    for i in range(1, args.memory + 1):
        answer_pdf_bytes(answer_for_pdf(answer.pk))
        if i in (10, args.memory // 2, args.memory):
            marks[i] = rss_mb()

    warm_median = statistics.median(warm)
    naive_median = statistics.median(naive)
    print(f"first PDF in a cold process: {first_ms:.0f} ms (imports, fonts, CSS)")
    print(
        f"warm worker   ({len(warm)} PDFs): median {warm_median:.1f} ms, "
        f"p95 {percentile(warm, 95):.1f} ms (CPU time: median "
        f"{statistics.median(warm_cpu):.1f} ms, less sensitive to a busy machine)"
    )
    print(
        f"naive process ({len(naive)} PDFs): median {naive_median:.0f} ms, "
        f"p95 {percentile(naive, 95):.0f} ms"
    )
    print(f"ratio naive/warm (medians): {naive_median / warm_median:.1f}x")
    print(
        "resident memory after "
        + ", ".join(f"{n} PDFs: {mb:.0f} MB" for n, mb in sorted(marks.items()))
    )


if __name__ == "__main__":
    main()
