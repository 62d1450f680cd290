"""`python -m nichiro`."""

from .console import run

run()
