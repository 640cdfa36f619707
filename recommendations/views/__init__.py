"""Pages of `recommendations` (function-based; they call `services` and check `access`):
`tracker` (list, bulk, exports), `authoring` (create, edit, repeats), `compliance` (detail,
assessment, a visit's recommendations), `responses` (authority letters), `checklist` (follow-up
visits), `dashboard` (statistics and the annual report)."""
