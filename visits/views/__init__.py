"""Pages of `visits`, one module per concern: `registry` (places, authorities), `visits`, `tabs`
(the visit's tabs and `render_tab`), `reports`, `sections` and `pdf`."""
