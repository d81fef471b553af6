"""Property-based tests (hypothesis): evaluators against an oracle and each other, fuzzers."""
