"""Pure French rules of unpaid-invoice litigation: deadlines, rates, décompte, checks (no I/O)."""
