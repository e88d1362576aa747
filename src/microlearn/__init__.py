"""Microlearn: offline micro-learning with an xAPI learning record."""

__version__ = "0.1.0"
APP_NAME = "microlearn"
APP_DISPLAY_NAME = "Microlearn"
APP_ID = "com.microlearn.Microlearn"
