"""The comparison's arithmetic on plain values: a cycle's counts per cell, a cell's share
from its counts (``None`` where nothing was judged on the scale), and the network's median
and quartiles."""
from benchmark.comparison import count_cells, shares, spread

CELLS = ["GG-AMB", "GG-LEA", "IE-AMB"]


def test_a_cycles_judgements_counted_per_cell_more_info_and_unjudged_left_out():
    counted = count_cells([("GG", "AMB", "at"), ("GG", "AMB", "below"), ("GG", "AMB", "more_info"),
                           ("GG", "AMB", None), ("GG", "LEA", "above"), ("IE", "AMB", "more_info")])
    assert counted == {"GG-AMB": (1, 2), "GG-LEA": (1, 1), "IE-AMB": (0, 0)}
    assert shares(counted, CELLS) == {"GG-AMB": 0.5, "GG-LEA": 1.0, "IE-AMB": None}
    assert shares({}, CELLS) == {"GG-AMB": None, "GG-LEA": None, "IE-AMB": None}
    assert shares({"GG-AMB": [0, 5]}, CELLS)["GG-AMB"] == 0.0


def test_spread_over_the_cycles_scored_in_each_cell():
    by_cycle = {n: {"GG-AMB": v, "GG-LEA": None, "IE-AMB": 0.0 if n == 1 else None}
                for n, v in enumerate([0.0, 0.25, 0.5, 1.0], start=1)}
    found = spread(by_cycle, CELLS)
    assert (found["GG-AMB"].n, found["GG-AMB"].median, found["GG-AMB"].low, found["GG-AMB"].high) == (4, 0.375, 0.0, 1.0)
    assert (found["GG-AMB"].q1, found["GG-AMB"].q3) == (0.1875, 0.625)
    assert found["GG-LEA"].n == 0 and found["GG-LEA"].median is None
    assert found["IE-AMB"].n == 1 and found["IE-AMB"].median == 0.0
    assert spread({}, CELLS)["GG-AMB"].n == 0
