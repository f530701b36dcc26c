"""The package's version, in a module of its own so the modules that print it (the PDF's colophon,
the starter's requirement) need not import the package's ``__init__``, which imports them."""

__version__ = "0.1.0"
