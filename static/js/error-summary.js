// Error summary: after a failed submit, focus the summary of the errors.
