"""Lighthouse (mobile, its default settings) on the production server: prints the median scores.

    .venv/bin/python bench/lighthouse.py                         # 3 runs of each page, ~5 minutes
    .venv/bin/python bench/lighthouse.py --runs 1 --pages hall   # one run of one page

Builds the React app if it is stale (the Makefile's rule, which also compresses it), makes a
throwaway SQLite database with the demo data (`populate_events --stadium`: the events, the concert
hall and the 50,000-seat arena), collects the static files, starts the Procfile's gunicorn with
debug off on a free loopback port and runs Lighthouse 12.2.3 (through npx; Chromium is Debian's,
/usr/bin/chromium) on the events page, the concert hall's event and the arena's, one page after
another. Each run prints the load average beside its figures (the machine may be busy with other
work); the table gives the median of each figure over the runs. The reports are kept as JSON in
bench/results/lighthouse/ (the layout shifts' elements and the long tasks are in there).
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import setup_django  # noqa: E402
from tools.servers import GunicornServer  # noqa: E402

# 13 needs Node 22; the machines have Node 20. Pinned exactly: scores move between versions.
LIGHTHOUSE = "lighthouse@12.2.3"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = ("events", "hall", "arena")
REPORTS = ROOT / "bench" / "results" / "lighthouse"

# Issue 24's targets, on the median of the runs: (figure, test, as printed).
TARGETS = {
    "performance": (lambda value: value >= 95, ">= 95"),
    "accessibility": (lambda value: value == 100, "100"),
    "best-practices": (lambda value: value >= 95, ">= 95"),
    "seo": (lambda value: value >= 95, ">= 95"),
    "cls": (lambda value: value < 0.05, "< 0.05"),
    "tbt_ms": (lambda value: value < 200, "< 200 ms"),
}


def figures(report: dict) -> dict:
    """The figures of one Lighthouse report (lhr JSON): scores 0-100, CLS, TBT and LCP in ms."""
    audits = report["audits"]
    return {
        **{name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES},
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
        "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
    }


def medians(runs: list[dict]) -> dict:
    """The median of each figure over the runs (each taken on its own, as Lighthouse advises)."""
    return {name: statistics.median(run[name] for run in runs) for name in runs[0]}


def missed(median: dict) -> list[str]:
    """The targets the medians miss, as ``figure value (target)``."""
    return [
        f"{name} {median[name]:g} (target {wanted})"
        for name, (met, wanted) in TARGETS.items()
        if name in median and not met(median[name])
    ]


def table(results: dict[str, list[dict]], loads: dict[str, list[float]]) -> str:
    """A Markdown table: one line per page with the median figures and the load averages seen."""
    lines = [
        "| page | runs | performance | accessibility | best practices | SEO | CLS | TBT ms | LCP s "
        "| load avg |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for page, runs in results.items():
        median = medians(runs)
        scores = " | ".join(f"{median[name]:g}" for name in CATEGORIES)
        load = "-".join(f"{value:.1f}" for value in (min(loads[page]), max(loads[page])))
        lines.append(
            f"| {page} | {len(runs)} | {scores} | {median['cls']:.3f} | {median['tbt_ms']:.0f} | "
            f"{median['lcp_ms'] / 1000:.1f} | {load} |"
        )
    return "\n".join(lines)


def findings(report: dict, limit: int = 3) -> list[str]:
    """Where a run lost time or moved: its biggest layout shifts' elements and its long tasks."""
    lines = []
    audit = report["audits"].get("layout-shifts", {})
    if audit.get("errorMessage"):  # 12.2.3 cannot read the traces of Debian's newer Chromium
        lines.append(f"  layout shifts not attributed: {audit['errorMessage']}")
    for item in audit.get("details", {}).get("items", [])[:limit]:
        node = item.get("node", {})
        where = f"{node.get('selector', '?')} {node.get('snippet', '')}"
        lines.append(f"  shift {item.get('score', 0):.3f}: {where}")
    tasks = report["audits"].get("long-tasks", {}).get("details", {}).get("items", [])
    for item in tasks[:limit]:
        lines.append(f"  long task {item['duration']:.0f} ms at {item['startTime']:.0f} ms: {item['url']}")
    return lines


def run_line(run: dict, load: float, report: dict) -> str:
    """One run's figures, with the machine's load average before it and Lighthouse's own measure
    of the machine's speed (its benchmark index: lower on a busy machine)."""
    scores = ", ".join(f"{name} {run[name]:g}" for name in CATEGORIES)
    return (
        f"{scores}, CLS {run['cls']:.3f}, TBT {run['tbt_ms']:.0f} ms, LCP {run['lcp_ms'] / 1000:.1f} s "
        f"(load {load:.2f}, benchmark index {report['environment']['benchmarkIndex']:.0f})"
    )


def lighthouse(url: str, output: Path, chromium: str) -> dict:
    """One Lighthouse run (mobile: its defaults) of ``url``; the report is written to ``output``."""
    subprocess.run(
        [
            "npx",
            "--yes",
            LIGHTHOUSE,
            url,
            "--quiet",
            "--output=json",
            f"--output-path={output}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={CHROME_FLAGS}",
        ],
        cwd=ROOT / "frontend",
        env={**os.environ, "CHROME_PATH": chromium},
        check=True,
        timeout=300,
    )
    return json.loads(output.read_text())


def demo_pages() -> dict[str, str]:
    """The pages measured: the events list, the concert hall's event and the arena's match."""
    from reservations.demo import CONCERT_HALL
    from reservations.management.commands.populate_events import DEMO_EVENTS, STADIUM_EVENT
    from reservations.models import Event

    hall = next(name for name, _, _, venue in DEMO_EVENTS if venue == CONCERT_HALL)
    return {
        "events": "/",
        "hall": f"/events/{Event.objects.get(name=hall).pk}",
        "arena": f"/events/{Event.objects.get(name=STADIUM_EVENT[0]).pk}",
    }


def page_list(value: str) -> list[str]:
    pages = [page.strip() for page in value.split(",") if page.strip()]
    unknown = set(pages) - set(PAGES)
    if unknown or not pages:
        raise argparse.ArgumentTypeError(f"pages are {', '.join(PAGES)}; not {', '.join(sorted(unknown))}")
    return pages


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs of each page (default 3)")
    parser.add_argument(
        "--pages", type=page_list, default=list(PAGES), help=f"comma-separated: {', '.join(PAGES)}"
    )
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--reports", type=Path, default=REPORTS, help="where the JSON reports go")
    args = parser.parse_args()
    if shutil.which("npx") is None:
        print("lighthouse: npx (Node.js) is missing", file=sys.stderr)
        return 2
    subprocess.run(["make", "--silent", "frontend/dist/index.html"], cwd=ROOT, check=True)

    workdir = Path(tempfile.mkdtemp(prefix="seat-lighthouse-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "lighthouse-only-not-secret",
        "DJANGO_SECURE": "0",  # plain HTTP on loopback (a secure context for the browser all the same)
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
    }
    server = None
    try:
        setup_django(env)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("collectstatic", verbosity=0, interactive=False)
        call_command("populate_events", stadium=True, verbosity=0)
        paths = demo_pages()
        server = GunicornServer(env, log=workdir / "gunicorn.log")
        args.reports.mkdir(parents=True, exist_ok=True)
        results: dict[str, list[dict]] = {}
        loads: dict[str, list[float]] = {}
        for page in args.pages:
            url = server.url + paths[page]
            for run in range(1, args.runs + 1):
                load = os.getloadavg()[0]
                report = lighthouse(url, args.reports / f"{page}-{run}.json", args.chromium)
                run_figures = figures(report)
                results.setdefault(page, []).append(run_figures)
                loads.setdefault(page, []).append(load)
                print(f"{page} run {run}: {run_line(run_figures, load, report)}", flush=True)
                for line in findings(report):
                    print(line)
        version = LIGHTHOUSE.split("@")[1]
        print(f"\nLighthouse {version}, mobile, median of {args.runs}; {os.cpu_count()} cores\n")
        print(table(results, loads))
        misses = {page: missed(medians(runs)) for page, runs in results.items()}
        for page, names in misses.items():
            print(f"{page}: " + ("every target met" if not names else "missed " + "; ".join(names)))
        print(f"\nreports: {args.reports}")
        return 0
    finally:
        if server:
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
