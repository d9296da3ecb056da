"""Hook clock: the end of every event the archive handles (priority -101: after its hooks, also its on_post_build
at -100); writes the figures after the last event. Benchmark only."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
from tests.benchmarks import clock  # noqa: E402

globals().update(clock.hooks(-101, clock.stop))
