"""The JSON API under /api/v1: bearer tokens, plural nouns, 201 on create, 422 with field errors."""
