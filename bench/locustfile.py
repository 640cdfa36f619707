"""The load test's scenario (run by `python -m bench.loadtest`, which writes the plan): NPM users
log in through the real login form and its one-time code step (a single-use backup code each),
then browse the main pages, every request a plain GET that must answer 200 without a redirect.

LOADTEST_PLAN names the plan: per account, its password, its backup codes and the pages it may
open, grouped by kind ("visit detail": several visits). At the end the figures go to the file
LOADTEST_STATS names: the pages' together (the headline: logins are a one-off cost, password
hashing on purpose slow), each kind's, the logins', and every error."""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from pathlib import Path

from locust import HttpUser, between, events, task
from locust.stats import StatsEntry

PLAN = json.loads(Path(os.environ["LOADTEST_PLAN"]).read_text())
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LOGIN_STEPS = ("login form", "login", "two-factor code")
# Each new simulated user takes the next account; all of them browse at once.
_accounts = itertools.cycle(PLAN["accounts"])


def _csrf(response) -> str:
    match = CSRF.search(response.text)
    if match is None:
        raise RuntimeError(f"no CSRF token on {response.url}")
    return match.group(1)


class NpmUser(HttpUser):
    # A person reads a page before the next: short here, to load two workers fully.
    wait_time = between(0.2, 1.0)

    def on_start(self) -> None:
        account = next(_accounts)
        self.pages = account["pages"]
        form = self.client.get(PLAN["login_url"], name="login form")
        with self.client.post(
            PLAN["login_url"],
            data={
                "username": account["username"],
                "password": account["password"],
                "csrfmiddlewaretoken": _csrf(form),
            },
            name="login",
            catch_response=True,
        ) as response:
            if PLAN["otp_url"] not in response.url:
                response.failure(f"{account['username']}: login did not reach the code step")
                return
            # The code step: a backup code, single-use (each simulated user takes its own).
            code = account["backup_codes"].pop()
            with self.client.post(
                response.url,
                data={"token": code, "csrfmiddlewaretoken": _csrf(response)},
                name="two-factor code",
                catch_response=True,
            ) as verified:
                if PLAN["otp_url"] in verified.url or PLAN["login_url"] in verified.url:
                    verified.failure(f"{account['username']}: the backup code was refused")

    @task
    def browse(self) -> None:
        kind = random.choice(list(self.pages))
        url = random.choice(self.pages[kind])
        with self.client.get(
            url, name=kind, allow_redirects=False, catch_response=True
        ) as response:
            # A redirect (to the login, to the code step) is a lost session: a failure.
            if response.status_code != 200:
                response.failure(f"{response.status_code} on {url}")


def _figures(entry: StatsEntry, seconds: float) -> dict:
    return {
        "requests": entry.num_requests,
        "failures": entry.num_failures,
        "requests_per_s": round(entry.num_requests / seconds, 1) if seconds else 0.0,
        "p50_ms": entry.get_response_time_percentile(0.5) if entry.num_requests else None,
        "p99_ms": entry.get_response_time_percentile(0.99) if entry.num_requests else None,
    }


@events.test_stop.add_listener
def _write_stats(environment, **_kwargs) -> None:
    stats = environment.stats
    seconds = (stats.last_request_timestamp or stats.start_time) - stats.start_time
    pages = StatsEntry(stats, "pages", "GET")
    logins = StatsEntry(stats, "logins", "POST")
    kinds = {}
    for entry in sorted(stats.entries.values(), key=lambda e: e.name):
        (logins if entry.name in LOGIN_STEPS else pages).extend(entry)
        if entry.name not in LOGIN_STEPS:
            kinds[entry.name] = _figures(entry, seconds)
    summary = {
        "seconds": round(seconds, 1),
        **_figures(pages, seconds),
        "pages": kinds,
        "logins": _figures(logins, seconds),
        "errors": [
            {"page": error.name, "error": str(error.error), "count": error.occurrences}
            for error in stats.errors.values()
        ],
    }
    Path(os.environ["LOADTEST_STATS"]).write_text(json.dumps(summary, indent=2))
