"""The streaming XLSX writer: what it writes reads back with openpyxl as the values it was given,
and its bytes leave a chunk at a time, the header before any row has been read."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from openpyxl import load_workbook

from recommendations.xlsx import stream_xlsx

# Spreadsheets know no time zones: the exports write local wall-clock times, naive.
NINE_THIRTY = dt.datetime(2026, 3, 1, 9, 30)  # noqa: DTZ001
MIDNIGHT = dt.datetime(2026, 3, 1)  # noqa: DTZ001


def _read(body: bytes, read_only: bool = False) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(body), read_only=read_only).active
    return list(sheet.iter_rows(values_only=True))


def test_values_read_back_as_they_were_written():
    rows = [
        ["Ž & <b>", 7, dt.date(2026, 3, 1), NINE_THIRTY, None, 2.5],
        ["", 0, None, None, "last", -1],
    ]
    body = b"".join(stream_xlsx("Preporuke", ["A", "B", "C", "D", "E", "F"], [rows]))
    read = _read(body)
    assert read[0] == ("A", "B", "C", "D", "E", "F")
    assert read[1] == (
        "Ž & <b>",
        7,
        MIDNIGHT,
        NINE_THIRTY,
        None,
        2.5,
    )
    # An empty cell keeps its column: "last" is still in the fifth.
    assert read[2] == (None, 0, None, None, "last", -1)
    workbook = load_workbook(io.BytesIO(body))
    assert workbook.sheetnames == ["Preporuke"]
    sheet = workbook.active
    assert sheet["C2"].number_format == "yyyy\\-mm\\-dd"
    assert sheet["A1"].font.b
    assert not sheet["A2"].font.b
    assert sheet.freeze_panes == "A2"


def test_characters_xml_cannot_hold_are_dropped_not_a_broken_file():
    body = b"".join(stream_xlsx('Sheet "1" <x>', ["text"], [[["bell\x07 and nul\x00 gone\ttab"]]]))
    assert _read(body)[1] == ("bell and nul gone\ttab",)
    assert load_workbook(io.BytesIO(body)).sheetnames == ['Sheet "1" <x>']


def test_a_long_sheet_name_is_cut_to_what_spreadsheets_allow():
    body = b"".join(stream_xlsx("R" * 40, ["x"], []))
    assert load_workbook(io.BytesIO(body)).sheetnames == ["R" * 31]


def test_bytes_leave_a_chunk_at_a_time_the_header_first():
    read = []

    def chunks():
        for n in range(3):
            read.append(n)
            yield [[f"row {n}.{i}", n * 100 + i] for i in range(100)]

    stream = stream_xlsx("S", ["text", "number"], chunks())
    first = next(stream)
    assert read == []  # nothing read yet: the header went out first
    assert first.startswith(b"PK")
    parts = [first, *stream]
    assert read == [0, 1, 2]
    assert len(parts) == 1 + 3 + 1  # header, a part per chunk, the zip's directory
    body = b"".join(parts)
    assert zipfile.ZipFile(io.BytesIO(body)).testzip() is None
    rows = _read(body, read_only=True)
    assert len(rows) == 301
    assert rows[-1] == ("row 2.99", 299)
