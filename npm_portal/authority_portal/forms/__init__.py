"""Forms of the authority portal: `authority` (the authority area), `npm` (the NPM side)."""
