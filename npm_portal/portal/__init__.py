"""The public portal at /portal/: issued reports' public versions and public recommendations.
No login; nothing confidential, nothing unissued."""
