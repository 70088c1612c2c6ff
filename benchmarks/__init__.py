"""Benchmarks: ``python -m benchmarks`` prints one table of sizes, medians and ratios."""
