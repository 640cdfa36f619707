"""The uploaded file between the dry run and the confirmation: kept in the default storage
(encrypted at rest, like every upload) under a random name, and named to the browser only in a
signed token bound to the user, the file's SHA-256 and the options. The confirmation reads it
back, checks the SHA-256 again, and deletes it; files left behind are pruned after a day."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from .service import sha256_of

FOLDER = "imports/staged"
SALT = "recommendations.imports.staged"
MAX_AGE = dt.timedelta(days=1)


def stage(*, data: bytes, file_name: str, create_places: bool, user) -> str:
    prune()
    name = default_storage.save(f"{FOLDER}/{uuid.uuid4().hex}", ContentFile(data))
    return signing.dumps(
        {
            "name": name,
            "sha256": sha256_of(data),
            "file_name": file_name,
            "create_places": create_places,
            "user": user.pk,
        },
        salt=SALT,
    )


def load(token: str, *, user) -> tuple[bytes, dict]:
    """The staged file and what was checked; ValidationError when the token is bad, old, of
    another user, or the file is gone or changed."""
    try:
        meta = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature as error:
        raise ValidationError(_("This check has expired: upload the file again.")) from error
    if meta.get("user") != user.pk or not str(meta.get("name", "")).startswith(FOLDER + "/"):
        raise ValidationError(_("This check has expired: upload the file again."))
    try:
        with default_storage.open(meta["name"]) as handle:
            data = handle.read()
    except (FileNotFoundError, OSError) as error:
        raise ValidationError(_("This check has expired: upload the file again.")) from error
    if sha256_of(data) != meta["sha256"]:
        raise ValidationError(_("The file is not the one checked in the dry run: upload it again."))
    return data, meta


def discard(name: str) -> None:
    if name.startswith(FOLDER + "/") and default_storage.exists(name):
        default_storage.delete(name)


def prune(now: dt.datetime | None = None) -> int:
    """Delete staged files older than a day (abandoned dry runs); how many went."""
    now = now or timezone.now()
    try:
        _folders, files = default_storage.listdir(FOLDER)
    except (FileNotFoundError, NotImplementedError):
        return 0
    removed = 0
    for file in files:
        name = f"{FOLDER}/{file}"
        try:
            if default_storage.get_modified_time(name) < now - MAX_AGE:
                default_storage.delete(name)
                removed += 1
        except (FileNotFoundError, NotImplementedError):
            continue
    return removed
