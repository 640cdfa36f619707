"""No 5xx on odd query values: every GET route of the URL × role matrix, for every role, with
odd values for each query parameter the page understands (issue #17, finding 5).

How a page's parameters are found: the fields of its GET forms and the query keys of its links
and htmx `hx-get` URLs (collected from every page the walk opens), plus the usual ones (page,
sort, q, year, …); then one request with all of those set to "1" records which keys the view
(its forms, filters, templates) actually reads from `request.GET`.

What is sent, per route and role:
- nothing more when the view read no key and never looked at the query as a whole (a download,
  a redirect to the login, a 403/404 decided before the query matters);
- each parameter it reads or offers, alone, with every odd value and as `?x=1&x=2` — once per
  route and parameter, by the first role that gets that far (a key first read only then joins);
- all parameters at once with each odd value, and all repeated, for every role.

Any 5xx, or an exception out of the view (the test client re-raises it), fails the test with
(role, path, params). Admin pages and POST-only routes (405) are skipped. One world and one
client per role for the whole walk; identical (role, path, params) requests are sent once.
Run it on PostgreSQL too: bad casts (DataError) only fail there."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.db import transaction
from django.http import QueryDict
from django.urls import NoReverseMatch
from django.utils.datastructures import MultiValueDict

from tests.security.urlwalk import resolve_path, url_names
from tests.security.world import ROLES, build_world

ODD_VALUES = (
    "-1",
    "0",
    "99999999999999999999",
    "1e309",
    "abc",
    "1.5",
    "999.999.1.1",
    "::ffff:zz",
    "ščćžđ Ћирилица 🙂",
    "",
    "%00",
    "\x00",
    "' OR 1=1 --",
    "<script>",
    "x" * 5000,
    "2026-13-45",
    "NaN",
    # Beyond the brief's list: valid-looking edges that overflow later (a 32-bit column on
    # PostgreSQL, a date plus a day).
    "2147483648",
    "9999-12-31",
    "0001-01-01",
)
REPEATED = ["1", "2"]
USUAL_PARAMS = ("page", "sort", "order", "q", "year", "status", "format", "lang")


class RecordingQueryDict(QueryDict):
    """request.GET that remembers which keys the view (its forms, filters, templates) read."""

    read: set[str] = set()
    iterated = False
    _built = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._built = True  # building it tests every key: that is no reading

    def _read(self, key):
        if self._built:
            self.read.add(key)

    def _all(self):
        if self._built:
            type(self).iterated = True

    def lists(self):
        self._all()
        return super().lists()

    def items(self):
        self._all()
        return super().items()

    def dict(self):
        self._all()
        return {key: MultiValueDict.__getitem__(self, key) for key in dict.__iter__(self)}

    def copy(self):
        self._all()
        return super().copy()

    def urlencode(self, safe=None):
        self._all()
        return super().urlencode(safe)

    def __iter__(self):
        self._all()
        return super().__iter__()

    def __getitem__(self, key):
        self._read(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self._read(key)
        return super().__contains__(key)

    def get(self, key, default=None):
        self._read(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self._read(key)
        return super().getlist(key, default)


class PageParams(HTMLParser):
    """Query keys a page offers, by target path: GET form fields, link and hx-get queries."""

    def __init__(self, page_path: str, keys: dict[str, set[str]]):
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.keys = keys
        self.form_target: str | None = None

    def _path(self, url: str) -> str | None:
        parts = urlsplit(urljoin(self.page_path, url))
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            return None
        return parts.path

    def _link(self, url: str) -> None:
        path = self._path(url)
        if path is not None:
            query = urlsplit(url).query
            self.keys.setdefault(path, set()).update(k for k, _v in parse_qsl(query, True))

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "form":
            get_form = (attrs.get("method") or "get").lower() == "get"
            target = attrs.get("hx-get") or attrs.get("action") or ""
            self.form_target = self._path(target) if get_form else None
            if get_form and target:
                self._link(target)
            return
        for attribute in ("href", "hx-get"):
            if "?" in attrs.get(attribute, ""):
                self._link(attrs[attribute])
        name = attrs.get("name")
        if tag in ("input", "select", "textarea", "button") and name:
            target = self.form_target or (
                self._path(attrs["hx-get"]) if "hx-get" in attrs else None
            )
            if target is not None:
                self.keys.setdefault(target, set()).add(name)

    def handle_endtag(self, tag):
        if tag == "form":
            self.form_target = None


def _frozen(params: dict) -> tuple:
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))


class Walker:
    def __init__(self, world):
        self.world = world
        self.seen: set[tuple] = set()
        self.failures: list[str] = []
        self.requests = 0

    def get(self, role: str, path: str, params: dict):
        """(status, response or None, keys read); an exception in the view counts as a 500."""
        key = (role, path, _frozen(params))
        if key in self.seen:
            return None, None, set()
        self.seen.add(key)
        self.requests += 1
        RecordingQueryDict.read = set()
        RecordingQueryDict.iterated = False
        try:
            with transaction.atomic():
                response = self.world.clients[role].get(path, params)
                if response.streaming:
                    # A file or export written as it is sent can fail half-way: read it all.
                    # (Consuming it closes it the way a WSGI server would; response.close()
                    # itself would close the test's database connection.)
                    b"".join(response.streaming_content)
        except Exception as exc:  # the view crashed: that is the finding
            self._fail(role, path, params, f"{type(exc).__name__}: {str(exc)[:200]}")
            return 500, None, set(RecordingQueryDict.read)
        if response.status_code >= 500:
            self._fail(role, path, params, str(response.status_code))
        return response.status_code, response, set(RecordingQueryDict.read)

    def _fail(self, role, path, params, what):
        shown = {
            k: (v if len(str(v)) < 40 else f"{str(v)[:20]}…({len(str(v))})")
            for k, v in params.items()
        }
        self.failures.append(f"{role} GET {path} {shown!r}: {what}")


def _get_routes(world) -> list[str]:
    paths = []
    for name, pattern in sorted(url_names(), key=lambda item: item[0]):
        if name.startswith("admin:"):
            continue
        try:
            paths.append(resolve_path(name, pattern, world))
        except NoReverseMatch:
            # A URL whose arguments the walk does not know yet: the access matrix fails on it.
            continue
    return sorted(set(paths))


@pytest.fixture
def walker(db, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr("django.core.handlers.wsgi.QueryDict", RecordingQueryDict)
    # The test client copies every template context it renders (for response.context): that
    # is most of the time of a page here, and this test needs only the status.
    monkeypatch.setattr("django.test.client.store_rendered_templates", lambda *a, **k: None)
    return Walker(build_world())


# The routes are fuzzed in this many shards (each its own test, so pytest-xdist spreads them
# over the workers); every shard still opens every page once, for the parameters pages offer.
SHARDS = 4


@pytest.mark.parametrize("shard", range(SHARDS))
def test_odd_query_values_never_answer_5xx(walker, shard):
    keys: dict[str, set[str]] = {}
    base: dict[tuple[str, str], int] = {}
    routes = _get_routes(walker.world)
    fuzzed = set(routes[shard::SHARDS])
    # First every page as it is: its status for each role, and the parameters it offers.
    for path in routes:
        for role in ROLES:
            status, response, _read = walker.get(role, path, {})
            if path in fuzzed:
                base[(role, path)] = status
            if (
                status == 200
                and response is not None
                and "html" in response.get("Content-Type", "")
                and not response.streaming
            ):
                PageParams(path, keys).feed(response.content.decode("utf-8", "replace"))
    # Then odd values where they can matter. Parameter by parameter once per path (for the first
    # role that understands it); all parameters at once for every role.
    singles_done: set[tuple[str, str]] = set()
    for (role, path), status in base.items():
        if status == 405:
            continue
        offered = keys.get(path, set()) | set(USUAL_PARAMS)
        # Every parameter present, with a plain value: what does the view read then?
        understood = _send(walker, role, path, dict.fromkeys(sorted(offered), "1"))
        if not understood and not RecordingQueryDict.iterated:
            continue  # the query is never looked at (a download, a redirect to the login)
        understood |= keys.get(path, set()) if status == 200 else set()
        queue = sorted(understood)
        while queue:
            name = queue.pop()
            if (path, name) in singles_done:
                continue
            singles_done.add((path, name))
            for value in [*ODD_VALUES, REPEATED]:
                new = _send(walker, role, path, {name: value})
                queue.extend(sorted(new - understood))
                understood |= new
        everything = sorted(understood | offered)
        for value in [*ODD_VALUES, REPEATED]:
            _send(walker, role, path, dict.fromkeys(everything, value))
    assert len(fuzzed) > 20, "the walk found too few pages to fuzz"
    assert walker.requests > 1000, "the walk sent too few odd requests"
    assert not walker.failures, f"{len(walker.failures)} 5xx answers:\n" + "\n".join(
        walker.failures[:200]
    )


def _send(walker: Walker, role: str, path: str, params: dict) -> set[str]:
    _status, _response, read = walker.get(role, path, params)
    return read
