"""Serbian (Latin): the same formats as Cyrillic."""

from npm_portal.formats.sr.formats import *  # noqa: F403
