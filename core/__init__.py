"""The bottom layer every app may import: roles, HTTP helpers, uploads, transliteration, field
encryption and rich text. No views, no models, no imports from the project's apps."""
