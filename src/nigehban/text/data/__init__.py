"""Data shipped with the text package, kept in Python modules so that it installs with the code."""
