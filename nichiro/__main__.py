"""`python -m nichiro`."""

from .fast import run

run()
