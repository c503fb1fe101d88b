"""The dashboard's charts, from a Portfolio: each part links where its table row links."""

from __future__ import annotations

from urllib.parse import quote

from markupsafe import Markup

from app.services.dashboard.figures import Portfolio
from app.web.charts import Part, bars, line, stacked_bar


def charts(board: Portfolio, query: str) -> dict[str, Markup]:
    extra = f"&{query}" if query else ""
    return {
        "aging": stacked_bar("chart-aging", "Balance âgée (encours TTC par ancienneté)", [
            Part(b.label, b.amount, f"/debtors?bucket={quote(b.code)}{extra}") for b in board.aging]),
        "dso": line("chart-dso", "DSO des 12 derniers mois (jours)", [
            Part(m.strftime("%m/%y"), d) for m, d in board.dso_by_month]),
        "stages": bars("chart-stages", "Encours par étape du recouvrement", [
            Part(s.label, s.amount, f"/debtors?stage={s.code}") for s in board.stages]),
        "forecast": bars("chart-forecast", "Encaissements attendus par semaine", [
            Part(f"Sem. du {w.start:%d/%m}", w.total) for w in board.forecast]),
    }
