"""The demo account's credentials: seeded by `contentieux demo` / `serve --demo`, printed by
the command line and shown on the login page of a demo server only (Settings.demo)."""

DEMO_EMAIL = "demo@contentieux.test"
DEMO_PASSWORD = "demo-contentieux"
