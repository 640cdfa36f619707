"""The file → its rows: the first sheet of an XLSX, or a CSV (UTF-8 with or without the byte
order mark, or Windows-1250; comma, semicolon or tab separated). The first row names the
columns (`columns.header_lookup`)."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from .columns import BY_KEY, IMPORT_COLUMNS, header_lookup
from .values import clean_text, fold


@dataclass
class Sheet:
    # (row number as the spreadsheet shows it, {column key: raw value})
    rows: list[tuple[int, dict]] = field(default_factory=list)
    # Column key → the header as written in the file (for messages).
    headers: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)


class UnreadableFile(ValueError):
    pass


def _xlsx_rows(data: bytes):
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise UnreadableFile(_("The spreadsheet cannot be read; save it again as XLSX.")) from error
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield list(values)
    finally:
        workbook.close()


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1250")


def _csv_rows(data: bytes):
    text = _decode(data)
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def read(data: bytes, *, kind: str) -> Sheet:
    """`kind`: "xlsx" or "csv"."""
    source = _xlsx_rows(data) if kind == "xlsx" else _csv_rows(data)
    sheet = Sheet()
    lookup = header_lookup()
    positions: dict[int, str] = {}
    header_seen = False
    for number, values in enumerate(source, start=1):
        if not header_seen:
            if not any(v not in (None, "") for v in values):
                continue
            header_seen = True
            for index, cell in enumerate(values):
                title = clean_text(cell)
                if not title:
                    continue
                key = lookup.get(fold(title))
                if key is None:
                    sheet.ignored.append(title)
                elif key in sheet.headers:
                    sheet.errors.append(
                        _("Columns '%(first)s' and '%(second)s' are the same column.")
                        % {"first": sheet.headers[key], "second": title}
                    )
                else:
                    sheet.headers[key] = title
                    positions[index] = key
            continue
        if not any(v not in (None, "") and str(v).strip() for v in values):
            continue  # empty lines are skipped
        if isinstance(values[0], str) and values[0].lstrip().startswith("#"):
            continue  # the template's guide to the columns
        row = {
            key: values[index] if index < len(values) else None for index, key in positions.items()
        }
        sheet.rows.append((number, row))
    if not header_seen:
        raise UnreadableFile(
            _("The file is empty: it needs a header row and one row per recommendation.")
        )
    missing = [str(c.label) for c in IMPORT_COLUMNS if c.required and c.key not in sheet.headers]
    if missing:
        sheet.errors.append(
            _("Columns missing from the header row: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    return sheet


def header_name(sheet: Sheet, key: str) -> str:
    return sheet.headers.get(key) or str(BY_KEY[key].label)
