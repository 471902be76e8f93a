"""bench/lighthouse.py's arithmetic and table, on made-up reports: a full run (a server, the demo
arena, nine Lighthouse runs) takes minutes, too long for `make test`, so its parts that could be
wrong without anyone seeing are checked here."""

import pytest

from bench.lighthouse import figures, medians, missed, page_list, table


def report(performance: float, cls: float, tbt: float, lcp: float = 2000.0, seo: float = 1.0) -> dict:
    """The parts of a Lighthouse result (lhr) the script reads."""
    scores = {"performance": performance, "accessibility": 1.0, "best-practices": 0.96, "seo": seo}
    return {
        "categories": {name: {"score": score} for name, score in scores.items()},
        "audits": {
            "cumulative-layout-shift": {"numericValue": cls},
            "total-blocking-time": {"numericValue": tbt},
            "largest-contentful-paint": {"numericValue": lcp},
        },
    }


def test_figures_are_scores_out_of_100_and_the_metrics_as_measured():
    assert figures(report(0.874, 0.0123, 312.5, 2450.0)) == {
        "performance": 87,
        "accessibility": 100,
        "best-practices": 96,
        "seo": 100,
        "cls": 0.0123,
        "tbt_ms": 312.5,
        "lcp_ms": 2450.0,
    }


def test_each_figure_is_the_median_of_its_own_runs():
    runs = [report(0.99, 0.30, 150), report(0.70, 0.01, 900), report(0.95, 0.02, 180)]
    median = medians([figures(run) for run in runs])
    # Not the run with the median score: each figure on its own (0.02 comes from the third run).
    assert (median["performance"], median["cls"], median["tbt_ms"]) == (95, 0.02, 180)


def test_the_targets_missed_are_named_with_their_values():
    assert missed(medians([figures(report(0.96, 0.01, 120))])) == []
    assert missed(medians([figures(report(0.80, 0.05, 200, seo=0.92))])) == [
        "performance 80 (target >= 95)",
        "seo 92 (target >= 95)",
        "cls 0.05 (target < 0.05)",
        "tbt_ms 200 (target < 200 ms)",
    ]


def test_the_table_has_a_line_per_page_with_its_medians_and_the_load_seen():
    results = {
        "events": [figures(report(0.97, 0.0, 120, 1900)), figures(report(0.93, 0.002, 210, 2300))],
        "arena": [figures(report(0.79, 0.25, 290, 2100))],
    }
    lines = table(results, {"events": [3.1, 5.64], "arena": [6.07]}).splitlines()
    assert lines[0].startswith("| page | runs | performance |")
    assert len(lines) == 4
    assert lines[2] == "| events | 2 | 95 | 100 | 96 | 100 | 0.001 | 165 | 2.1 | 3.1-5.6 |"
    assert lines[3] == "| arena | 1 | 79 | 100 | 96 | 100 | 0.250 | 290 | 2.1 | 6.1-6.1 |"


def test_pages_are_chosen_by_name_and_an_unknown_one_is_refused():
    assert page_list("hall, arena") == ["hall", "arena"]
    with pytest.raises(Exception, match="stadium"):
        page_list("events,stadium")
