"""One date format per language everywhere (FORMAT_MODULE_PATH): English "1 Dec 2026",
Serbian in both scripts "1. 12. 2026."; date inputs take ISO first, so a type="date" input
renders "2026-12-01" in every language. Everything not set here comes from Django's locale.

PDF reports keep their own long form (visits.pdf.dates: "1 December 2026"); CSV exports, the
API and <time datetime> attributes stay ISO."""
