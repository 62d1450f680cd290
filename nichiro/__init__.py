"""nichiro: a command-line fact lookup tool for Japan–Russia relations (日露)."""

__version__ = "0.1.0"
