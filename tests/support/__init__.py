"""Helpers shared by the unit, integration and GUI tests: processes, a real LRS, sample data, xAPI rules."""
