"""The partners pages, one module per concern (urls.py names them)."""
