"""What a report costs against what it cannot cost less than, for the venetoclax example.

Run from the repository root:

    python benchmarks/bench_build.py [--repeat N] [--config FILE]

Every figure is CPU seconds (user + sys, from ``getrusage``; they hold on a shared machine
where wall time drifts 2-5x) and peak RSS, the median of ``--repeat`` fresh processes:

- floor: a process that only imports the modules a build of the config (HTML, PDF, JSON) ends
  with, nothing else, and exits;
- bare WeasyPrint: a process that imports WeasyPrint and prints the very HTML reportgen prints
  (its page for print) with the report stylesheet to a tagged PDF (PDF/UA-1), nothing else;
- reportgen cold: ``reportgen build CONFIG --force --format html,pdf,json`` in a fresh process
  (the build issue 15 measured and set its targets on), and beside it the default build of
  every format (adding the Word file and the results tables);
- reportgen warm: the CPU of each further build (HTML, PDF and JSON) of the same config in one
  process (what each report of a batch costs once the libraries are loaded).

Then the targets of issue 15 (cold build <= 1.3x the floor; warm build <= 0.8 CPU s) with the
measured ratio, the least a cold build of this very HTML can cost (the floor plus the bare
render less the WeasyPrint import: a target below it needs a page that is cheaper to print),
and the warm time of each build stage.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "configs" / "venetoclax-rr-aml.yaml"
COLD_TARGET = 1.3  # cold build CPU at most this multiple of the floor's
WARM_TARGET = 0.8  # CPU seconds per report in a warm process

# The floor imports exactly the modules a build of the config ends with (so a module the build
# no longer needs leaves the floor too): MODULES_SCRIPT lists them, FLOOR_SCRIPT imports them.
# It also keeps the page the PDF is printed from (the "print" medium, without what only the
# screen shows), for the bare render.
MODULES_SCRIPT = r"""
import json, sys, tempfile
import reportgen.render.pdf as pdf
from reportgen.publish.build import build_report
from reportgen.render.html import stylesheet
printed = pdf.render_pdf
def keep(html):
    open(sys.argv[3], "w", encoding="utf-8").write(html)
    open(sys.argv[3] + ".css", "w", encoding="utf-8").write(stylesheet())
    return printed(html)
pdf.render_pdf = keep
with tempfile.TemporaryDirectory() as out:
    build_report(sys.argv[1], out, formats=sys.argv[2].split(","))
print(json.dumps(sorted(name for name in sys.modules if not name.startswith("__"))))
"""

FLOOR_SCRIPT = r"""
import importlib, json, sys
for name in json.load(open(sys.argv[1], encoding="utf-8")):
    try:
        importlib.import_module(name)
    except Exception:
        pass
"""

BARE_SCRIPT = r"""
import sys
from weasyprint import CSS, HTML
html = open(sys.argv[1], encoding="utf-8").read()
css = CSS(string=open(sys.argv[1] + ".css", encoding="utf-8").read())
HTML(string=html).write_pdf(sys.argv[2], pdf_variant="pdf/ua-1", stylesheets=[css])
"""

FORMATS = "html,pdf,json"  # what issue 15 measured; the default build adds docx, csv, xlsx

WARM_SCRIPT = r"""
import json, resource, sys, tempfile
from reportgen.publish.build import StageTimer, build_report
config, repeat, formats = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(",")

def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime

runs = []
with tempfile.TemporaryDirectory() as out:
    for _ in range(repeat + 1):  # the first build pays the lazy imports: not counted
        timer, start = StageTimer(), cpu()
        build_report(config, out, formats=formats, timer=timer)
        runs.append({"cpu": cpu() - start, "stages": timer.seconds})
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"runs": runs[1:], "peak_mib": peak}))
"""


def measure(argv: list[str]) -> tuple[float, float, str]:
    """CPU seconds (user + sys) and peak RSS (MiB) of one fresh process, and its stdout."""
    with tempfile.TemporaryFile() as stdout:
        process = subprocess.Popen(argv, stdout=stdout, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            raise SystemExit(f"failed ({process.returncode}): {' '.join(argv)}")
        stdout.seek(0)
        output = stdout.read().decode()
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, output


def medians(argv: list[str], repeat: int) -> tuple[float, float]:
    samples = [measure(argv) for _ in range(repeat)]
    return (
        statistics.median(s[0] for s in samples),
        statistics.median(s[1] for s in samples),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each (default 5)")
    parser.add_argument("--config", type=Path, default=CONFIG, help="config to build")
    args = parser.parse_args()
    python = sys.executable
    env_path = str(ROOT)
    os.environ["PYTHONPATH"] = env_path + os.pathsep + os.environ.get("PYTHONPATH", "")

    with tempfile.TemporaryDirectory() as work:
        out = Path(work) / "out"
        build = [python, "-m", "reportgen", "build", str(args.config), "--out", str(out)]
        cold = medians([*build, "--force", "--format", FORMATS], args.repeat)
        every_format = medians([*build, "--force"], args.repeat)
        html = Path(work) / "printed.html"
        _, _, modules = measure(
            [python, "-c", MODULES_SCRIPT, str(args.config), FORMATS, str(html)]
        )
        module_list = Path(work) / "modules.json"
        module_list.write_text(modules, encoding="utf-8")
        bare = medians(
            [python, "-c", BARE_SCRIPT, str(html), str(Path(work) / "bare.pdf")], args.repeat
        )
        floor = medians([python, "-c", FLOOR_SCRIPT, str(module_list)], args.repeat)
        weasy = medians([python, "-c", "import weasyprint"], args.repeat)
        _, _, output = measure(
            [python, "-c", WARM_SCRIPT, str(args.config), str(args.repeat), FORMATS]
        )
    warm = json.loads(output)
    warm_cpu = statistics.median(run["cpu"] for run in warm["runs"])

    name = args.config.relative_to(ROOT) if args.config.is_relative_to(ROOT) else args.config
    print(f"reportgen build {name}: CPU s (user + sys) and peak RSS, medians of {args.repeat}\n")
    print(f"{'process':<58}{'CPU s':>8}{'peak MiB':>10}")
    rows = [
        ("floor: imports a full build needs, nothing else", floor),
        ("bare WeasyPrint: the same HTML to PDF/UA-1", bare),
        ("reportgen build, cold (HTML + PDF + JSON, fresh process)", cold),
        ("reportgen build, cold, every format (+ Word, CSV, XLSX)", every_format),
        ("reportgen build, warm (each further build, one process)", (warm_cpu, warm["peak_mib"])),
    ]
    for label, (cpu, rss) in rows:
        print(f"{label:<58}{cpu:>8.2f}{rss:>10.0f}")
    # What the floor itself implies: printing this HTML costs at least the bare render less the
    # WeasyPrint import, on top of the floor's imports, whatever reportgen does.
    bare_work = bare[0] - weasy[0]
    print(f"{'(WeasyPrint import alone)':<58}{weasy[0]:>8.2f}{weasy[1]:>10.0f}")
    print(f"{'(floor + bare render of this HTML: no build can be cheaper)':<58}", end="")
    print(f"{floor[0] + bare_work:>8.2f}   = {(floor[0] + bare_work) / floor[0]:.2f}x floor")
    ratio = cold[0] / floor[0]
    print(f"\n{'target':<58}{'measured':>8}{'met':>10}")
    cold_label = f"cold build <= {COLD_TARGET}x floor CPU"
    print(f"{cold_label:<58}{ratio:>7.2f}x{_met(ratio <= COLD_TARGET):>10}")
    warm_label = f"warm build <= {WARM_TARGET} CPU s per report"
    print(f"{warm_label:<58}{warm_cpu:>8.2f}{_met(warm_cpu <= WARM_TARGET):>10}")
    print(f"{'(cold build / bare WeasyPrint render)':<58}{cold[0] / bare[0]:>7.2f}x")

    print(f"\n{'warm build stage (wall s, median)':<58}{'s':>8}")
    for stage in warm["runs"][0]["stages"]:
        seconds = statistics.median(run["stages"].get(stage, 0.0) for run in warm["runs"])
        print(f"{stage:<58}{seconds:>8.3f}")


def _met(ok: bool) -> str:
    return "yes" if ok else "NO"


if __name__ == "__main__":
    main()
