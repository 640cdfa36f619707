"""Encryption at rest with MultiFernet: database fields and stored files.

`settings.FIELD_ENCRYPTION_KEY` is a list of Fernet keys: the first encrypts, all decrypt. To
rotate, put a new key first, run `manage.py rotate_field_encryption` (re-encrypts every encrypted
column and every stored file), then remove the old key.

Fields: text (`EncryptedTextField`), short text and choice values (`EncryptedCharField`) and
booleans (`EncryptedBooleanField`) are stored as Fernet tokens. The database cannot compare,
search or count them: a lookup other than `isnull`, or `exact` with an empty value, raises
`FieldError` (filter such rows in Python, after the permission-checked query).

Files (`encrypt_stream`, `DecryptingReader`; used by npm_portal.security.storage):
`FILE_MAGIC`, then records of a 4-byte big-endian length and a binary Fernet token, one per
64 KiB of clear text. Each token holds the chunk's number and whether it is the last, so chunks
cannot be reordered, dropped or cut off unnoticed.
"""

from __future__ import annotations

import base64
import io
import struct
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, models
from django.db.models.lookups import Exact


@lru_cache(maxsize=4)
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY is empty: no key to encrypt with.")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEY must be a comma-separated list of Fernet keys "
            "(32 url-safe base64-encoded bytes each)."
        ) from error


def fernet() -> MultiFernet:
    return _fernet_for(tuple(settings.FIELD_ENCRYPTION_KEY))


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "An encrypted field cannot be read with any key in FIELD_ENCRYPTION_KEY."
        ) from error


class _EmptyOnlyExact(Exact):
    """`field=""`: the empty value is stored as is, so it can be compared; nothing else can."""

    def get_prep_lookup(self):
        if self.rhs not in ("", None):
            raise FieldError(
                f"{self.lhs.output_field.name} is encrypted: the database cannot compare it; "
                "filter in Python."
            )
        return self.rhs


class EncryptedMixin:
    """Stored as a Fernet token (`to_clear` / `from_clear` turn the Python value into the text
    that is encrypted and back); an empty value stays empty, None stays None."""

    encrypted = True

    def get_internal_type(self):
        return "TextField"

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        if lookup_name == "exact":
            return _EmptyOnlyExact
        return None

    def get_transform(self, lookup_name):
        return None

    def to_clear(self, value) -> str:
        return str(value)

    def from_clear(self, text: str):
        return text

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return self.from_clear(decrypt(value))

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(self.to_clear(value))


class EncryptedTextField(EncryptedMixin, models.TextField):
    """Text stored as a Fernet token; empty stays empty. Not searchable, by design."""


class EncryptedCharField(EncryptedMixin, models.TextField):
    """A short text or a choice value, stored as a Fernet token. Forms get a one-line input (or
    the choices) limited to `max_length`; the column is text, as a token is longer. Choices are
    checked on every write (a database check constraint cannot read the value)."""

    @property
    def validators(self):
        extra = [MaxLengthValidator(self.max_length)] if self.max_length else []
        return [*self.default_validators, *self._validators, *extra]

    def formfield(self, **kwargs):
        if self.choices is not None:
            return super().formfield(**kwargs)
        # A one-line input (models.TextField would give a text area).
        return models.Field.formfield(self, **{"max_length": self.max_length, **kwargs})

    def get_db_prep_save(self, value, connection):
        if self.choices is not None and not (value == "" and self.blank):
            allowed = {str(key) for key, _label in self.flatchoices}
            if value is not None and str(value) not in allowed:
                raise IntegrityError(f"{self.model.__name__}.{self.name}: {value!r} is no choice.")
        return super().get_db_prep_save(value, connection)


class EncryptedBooleanField(EncryptedMixin, models.BooleanField):
    """A boolean stored as the token of "1" or "0" (the column is text)."""

    def to_python(self, value):
        if isinstance(value, str) and value.lower() in ("1", "0", "true", "false", "t", "f"):
            return value.lower() in ("1", "true", "t")
        return super().to_python(value)

    def to_clear(self, value) -> str:
        return "1" if value else "0"

    def from_clear(self, text: str):
        return self.to_python(text)


# --- Files --------------------------------------------------------------------------------------

FILE_MAGIC = b"NPMENC\x00\x01"
FILE_CHUNK = 64 * 1024
_LENGTH = struct.Struct(">I")
_CHUNK_HEAD = struct.Struct(">QB")  # chunk number, 1 for the last chunk


class EncryptedFileError(ValueError):
    """A stored file that says it is encrypted but is not a whole, readable one."""


def _read_full(source, size: int) -> bytes:
    parts, missing = [], size
    while missing:
        data = source.read(missing)
        if not data:
            break
        parts.append(data)
        missing -= len(data)
    return b"".join(parts)


def encrypt_stream(source, target, keys: MultiFernet | None = None) -> int:
    """Write `source` (read from where it stands) encrypted to `target`, chunk by chunk, with
    the first key; returns the clear size."""
    keys = keys or fernet()
    target.write(FILE_MAGIC)
    number, size = 0, 0
    data = _read_full(source, FILE_CHUNK)
    while True:
        following = _read_full(source, FILE_CHUNK) if len(data) == FILE_CHUNK else b""
        last = not following
        token = keys.encrypt(_CHUNK_HEAD.pack(number, last) + data)
        raw = base64.urlsafe_b64decode(token)
        target.write(_LENGTH.pack(len(raw)) + raw)
        size += len(data)
        if last:
            return size
        number, data = number + 1, following


def is_encrypted(head: bytes) -> bool:
    return head[: len(FILE_MAGIC)] == FILE_MAGIC


class DecryptingReader(io.RawIOBase):
    """Reads the clear text of an encrypted stored file, decrypting one chunk at a time (never
    the whole file in memory). Seekable when the stored file is (its size is then the clear
    size). `raw` must stand just after FILE_MAGIC."""

    def __init__(self, raw, name: str = ""):
        super().__init__()
        self.raw = raw
        self.name = name
        self._pos = 0
        self._chunk = -1  # number of the chunk in memory
        self._data = b""
        self._next = 0  # number of the chunk `raw` stands before, -1 when unknown
        self._last: int | None = None  # number of the last chunk, once known
        self._offsets: list[int] | None = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return bool(getattr(self.raw, "seekable", lambda: False)())

    def _index(self) -> list[int]:
        """Where each chunk starts in the stored file (read from the length prefixes)."""
        if self._offsets is None:
            offsets, offset = [], len(FILE_MAGIC)
            self.raw.seek(offset)
            while head := self.raw.read(_LENGTH.size):
                if len(head) < _LENGTH.size:
                    raise EncryptedFileError("The stored file is cut off.")
                offsets.append(offset)
                offset += _LENGTH.size + _LENGTH.unpack(head)[0]
                self.raw.seek(offset)
            if not offsets:
                raise EncryptedFileError("The stored file is cut off.")
            self._offsets, self._next = offsets, -1
        return self._offsets

    def _load(self, number: int) -> bool:
        """Put chunk `number` in memory; False past the end."""
        if number == self._chunk:
            return True
        if self._last is not None and number > self._last:
            return False
        if number != self._next:
            offsets = self._index()
            if number >= len(offsets):
                return False
            self.raw.seek(offsets[number])
        head = _read_full(self.raw, _LENGTH.size)
        if not head:
            raise EncryptedFileError("The stored file is cut off.")
        raw_token = _read_full(self.raw, _LENGTH.unpack(head)[0])
        try:
            clear = fernet().decrypt(base64.urlsafe_b64encode(raw_token))
        except (InvalidToken, struct.error) as error:
            raise EncryptedFileError("A chunk of the stored file cannot be decrypted.") from error
        found, last = _CHUNK_HEAD.unpack_from(clear)
        data = clear[_CHUNK_HEAD.size :]
        if found != number or (not last and len(data) != FILE_CHUNK):
            raise EncryptedFileError("The chunks of the stored file are out of order.")
        if last:
            self._last = number
        self._chunk, self._data, self._next = number, data, number + 1
        return True

    def read(self, size: int = -1) -> bytes:
        parts = []
        while size:
            number, start = divmod(self._pos, FILE_CHUNK)
            if not self._load(number):
                break
            end = None if size < 0 else start + size
            piece = self._data[start:end]
            if not piece:
                break
            parts.append(piece)
            self._pos += len(piece)
            size = size - len(piece) if size > 0 else size
        return b"".join(parts)

    def readall(self) -> bytes:
        return self.read(-1)

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    @property
    def size(self) -> int:
        last = len(self._index()) - 1
        pos = self._pos
        self._load(last)
        if self._last != last:
            raise EncryptedFileError("The stored file is cut off.")
        self._pos = pos
        return last * FILE_CHUNK + len(self._data)

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_SET:
            pos = offset
        elif whence == io.SEEK_CUR:
            pos = self._pos + offset
        elif whence == io.SEEK_END:
            pos = self.size + offset
        else:
            raise ValueError(f"invalid whence ({whence})")
        if pos < 0:
            raise ValueError("negative seek position")
        if pos != self._pos and not self.seekable():
            raise io.UnsupportedOperation("seek")
        self._pos = pos
        return pos

    def close(self) -> None:
        if not self.closed:
            self.raw.close()
        super().close()
