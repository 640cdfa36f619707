"""gunicorn settings for production: `gunicorn npm_portal.wsgi` reads this file from the project
directory. Every value can be overridden by its environment variable (README, Configuration)."""

import multiprocessing
import os

import gunicorn.http.wsgi

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 9)))
# A sync worker that has not answered for this long is killed, mid-response too: a streamed body
# counts. Report PDFs are never rendered in a request (visits.pdf.tasks: Celery or a thread),
# so the slowest requests left are the exports of every recommendation, streamed: at 200,000 rows
# the CSV took 23 s and the XLSX 29 s (BENCHMARKS.md, on a busy machine); the 10,000-row import,
# bounded at 60 s by `make bench`, is next. 120 s is twice that bound and four times the slowest
# export, room for a slower server or more data, and a hung worker is still replaced within two
# minutes.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (a slow leak never becomes an outage).
max_requests = 2000
max_requests_jitter = 200
# Smaller request heads than the defaults: nothing in the app needs long URLs or many headers.
limit_request_line = 8190
limit_request_fields = 60
limit_request_field_size = 8190
# X-Forwarded-Proto is believed only from the proxy in front (the same addresses as
# NPM_TRUSTED_PROXIES, which decides the client's address for the app).
forwarded_allow_ips = os.environ.get("NPM_TRUSTED_PROXIES", "127.0.0.1") or "127.0.0.1"
# The access log names the path, never the query string (searches may hold names).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
proxy_allow_ips = forwarded_allow_ips

# No Server header at all: it tells an attacker what to try. (This file runs in the master
# before the workers fork, so the change holds in every worker.)
_default_headers = gunicorn.http.wsgi.Response.default_headers


def _headers_without_server(self):
    return [line for line in _default_headers(self) if not line.startswith("Server:")]


gunicorn.http.wsgi.Response.default_headers = _headers_without_server
