"""Helpers of the reliability suite, and a summary of the figures it measured.

Tests report figures (rows compared, restore time, writes acknowledged, ...) through the
``figure`` fixture; they are printed at the end of the run, also under pytest-xdist.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest


@pytest.fixture
def figure(record_property) -> Callable[[str, object], None]:
    def report(name: str, value: object) -> None:
        record_property(f"figure:{name}", value)
        print(f"{name}: {value}")

    return report


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    lines = []
    totals: dict[str, list[float]] = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            when = getattr(report, "when", None)
            for key, value in getattr(report, "user_properties", ()):
                if str(key).startswith("figure:sum:") and when == "teardown":
                    totals.setdefault(key[11:], []).append(float(value))
                elif str(key).startswith("figure:") and not str(key).startswith("figure:sum:") and when == "call":
                    lines.append(f"{report.nodeid.split('::')[-1]}  {key[7:]}: {value}")
    for name, values in totals.items():
        lines.append(f"total  {name}: {sum(values):g} over {len(values)} tests")
    if lines:
        terminalreporter.write_sep("-", "reliability figures")
        for line in sorted(lines):
            terminalreporter.write_line(line)
