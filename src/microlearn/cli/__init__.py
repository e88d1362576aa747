"""The ``microlearn`` command line: one module per group of commands, ``main`` parses and dispatches."""
