"""The comparison's arithmetic on plain values: a cell's share from its counts, ``None``
where nothing was judged on the scale, and the network's median and quartiles."""
from benchmark.comparison import CellCount, scores, spread

CELLS = ["GG-AMB", "GG-LEA", "IE-AMB"]


def test_scores_per_cycle_and_cell():
    found = scores([CellCount(1, "GG", "AMB", 2, 4), CellCount(1, "GG", "LEA", 0, 0), CellCount(2, "GG", "AMB", 3, 3),
                    CellCount(2, "IE", "AMB", 0, 5)], CELLS)
    assert found == {1: {"GG-AMB": 0.5, "GG-LEA": None, "IE-AMB": None},
                     2: {"GG-AMB": 1.0, "GG-LEA": None, "IE-AMB": 0.0}}
    assert scores([], CELLS) == {}


def test_spread_over_the_cycles_scored_in_each_cell():
    by_cycle = {n: {"GG-AMB": v, "GG-LEA": None, "IE-AMB": 0.0 if n == 1 else None}
                for n, v in enumerate([0.0, 0.25, 0.5, 1.0], start=1)}
    found = spread(by_cycle, CELLS)
    assert (found["GG-AMB"].n, found["GG-AMB"].median, found["GG-AMB"].low, found["GG-AMB"].high) == (4, 0.375, 0.0, 1.0)
    assert (found["GG-AMB"].q1, found["GG-AMB"].q3) == (0.1875, 0.625)
    assert found["GG-LEA"].n == 0 and found["GG-LEA"].median is None
    assert found["IE-AMB"].n == 1 and found["IE-AMB"].median == 0.0
    assert spread({}, CELLS)["GG-AMB"].n == 0
