"""Public open data at /api/v1/open/: the portal's data (issued reports' public metadata, public
recommendations) as JSON pages and bulk CSV / JSON downloads, with a data dictionary and the
mapping to the OHCHR vocabulary. No login, no token; rate-limited per client address."""
