"""Tandem's tests; a package so that GUI tests and benchmarks can import tests.factories."""
