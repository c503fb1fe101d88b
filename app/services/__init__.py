"""Use cases: each takes a database session and an `Actor`, checks access, writes, audits."""
