"""`python -m indikator`: the command line."""

from indikator.cli import main

main()
