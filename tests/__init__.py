"""The test suite: a package, so its modules import shared helpers as `tests.oracle`."""
