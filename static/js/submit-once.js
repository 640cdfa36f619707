// Double-submit protection: a form sends once.
