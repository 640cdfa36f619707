"""Reports as Word documents (DOCX): `report` builds one from the PDF's content, `html` writes
the PDF's HTML into it."""

from .report import CONTENT_TYPE, report_docx

__all__ = ["CONTENT_TYPE", "report_docx"]
