"""Benchmarks: `python -m bench.optimiser` (or `make bench`)."""
