"""The ``nigehban`` command line: thin over the library, typed exit codes, ``--json`` output."""
