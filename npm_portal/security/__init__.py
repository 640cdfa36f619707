"""Cross-cutting security: client address behind proxies, session lifetime, two-factor login and
re-authentication, the access log middleware and viewer, upload hardening, retention.

See SECURITY.md for what is protected and why.
"""
