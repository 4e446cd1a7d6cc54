"""Benchmarking across cities and over time: the published results of every cycle, kept in
one table for comparison (``tables.py``), computed on plain values in
:mod:`benchmark.comparison`."""
