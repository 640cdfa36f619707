"""Bulk import of past years: visits, issued reports, dispatches, recommendations, authority
letters and assessments from an XLSX or CSV file.

- `columns`: the one list of columns, shared with the tracker's export (`recommendations.exports`)
  and the downloadable template (`template`).
- `values`: parsing cells (dates, choices by code or label in every language, yes/no).
- `matching`: places, authorities and themes by name in either script, without regard to case,
  spaces and diacritics.
- `reading`: the file (XLSX or CSV) → rows of text keyed by column.
- `plan` (with its data in `structures`): every row checked, grouped into visits and letters;
  every error by row and column.
- `writing`: the plan written in one transaction (bulk creation with history), linked to its
  `ImportBatch`.
- `service`: `records_import` (dry run or write) and `can_import`; `staging`: the uploaded file
  kept encrypted between the page's dry run and its confirmation; `template`: the template.
- `undo`: `import_undo`, which removes exactly what one import created, or refuses.
- `models`: `ImportBatch` and `ImportedObject` (re-exported by `recommendations.models`).

Nothing here imports this package's modules at import time: `recommendations.models` loads
`imports.models` only.
"""
