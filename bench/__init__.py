"""Benchmarks: each module prints its table; `python -m bench` runs them all."""
