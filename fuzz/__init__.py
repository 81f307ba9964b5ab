"""Fuzz targets of vanban (``make fuzz``); see fuzz/run.py."""
