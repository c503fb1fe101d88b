"""Contentieux: one litigation file per debtor, from unpaid invoice to claim file."""
