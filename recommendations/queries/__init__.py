"""Read-only selectors of `recommendations`: the tracker's filters (`filters`), repeated
concerns (`repeats`), the compliance statistics (`stats`) and a recommendation's timeline
(`timeline`). Nothing here writes."""
