"""The benchmarks still run. They are scripts, not tests (nothing here is timed): run
with the smallest workload, each must finish and print its table, so that a change of
the code they drive cannot leave them broken unnoticed until the next measurement."""
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
RUNS = {
    "bench_api.py": ["--rounds", "1", "-n", "2", "--http-seconds", "0"],
    "bench_self_assessment.py": ["--rounds", "1", "--imports", "1", "--pages", "1"],
    "bench_reviews.py": ["--rounds", "1", "-n", "1"],
    "bench_programme.py": ["--rounds", "1"],
    "bench_judgements.py": ["--rounds", "1", "-n", "1"],
    "bench_report.py": ["--rounds", "1", "-n", "1"],
    "bench_benchmark.py": ["--sizes", "10,20", "--rounds", "1", "-n", "1"],
}


@pytest.mark.parametrize("script", sorted(RUNS))
def test_benchmark_runs_and_prints_its_table(script, tmp_path):
    done = subprocess.run([sys.executable, str(HERE / script), *RUNS[script]], capture_output=True, text=True,
                          timeout=240, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "| case |" in done.stdout and "×" in done.stdout, done.stdout[-2000:]
