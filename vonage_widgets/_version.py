"""The package's version, on the ground floor: any module may read it without loading the rest."""

__version__ = "0.1.0"
