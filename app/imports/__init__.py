"""Reading accounting exports (FEC, CSV, .xlsx) into open items: invoices, credit notes, payments.

Pure-ish: files in, plain dataclasses out; no ORM, no web. `app.services.imports` matches the
items against the database, reports what an import would do, and applies it.
"""
