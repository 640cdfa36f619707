"""The demo loaders up to the visits, for tests of those parts (the full `load_demo` also
renders the demo reports' PDFs, which only the tests of reports and recommendations need)."""

from npm_portal.demo import VISIT_LOADERS, load_demo


def load_demo_up_to_visits() -> None:
    load_demo(VISIT_LOADERS)
