"""`python -m nichiro`."""

from .cli import run

run()
