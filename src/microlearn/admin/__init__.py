"""Tools for IT and the helpdesk: ``doctor``, the diagnostics bundle and the bundle's self-test."""
