"""Hook clock: the start of every event the archive handles (priority 100: before its hooks). Benchmark only."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
from tests.benchmarks import clock  # noqa: E402

globals().update(clock.hooks(100, clock.start))
