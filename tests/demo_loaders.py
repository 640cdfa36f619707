"""The demo loaders up to the visits, for tests of those parts (the full `load_demo` also
renders the demo reports' PDFs, which only the tests of reports and recommendations need)."""

from npm_portal import demo as users_demo
from partners import demo as partners_demo
from visits import demo as registry_demo
from visits import visit_demo


def load_demo_up_to_visits() -> None:
    for load in (users_demo.load, partners_demo.load, registry_demo.load, visit_demo.load):
        load()
