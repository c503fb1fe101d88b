"""Debtor pages: list with search and sort, create, edit, the debtor's file."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from app.documents.letters import claimed_part
from app.errors import ValidationFailed
from app.law.stages import STAGES
from app.parsing import parse_date
from app.services import debtors
from app.services.dashboard.measures import BUCKETS
from app.services.debtor_page import debtor_page
from app.services.decompte import debtor_decompte
from app.web import kept_sections
from app.web.deps import ActorDep, DebtorDep, SessionDep, TodayDep, viewer_and_debtor
from app.web.forms import form_data
from app.web.htmx import redirect
from app.web.kept_rows import KeptRows
from app.web.page_cache import cached_page, reads_other_files
from app.web.templating import page_globals, render, templates

router = APIRouter()
# A list row shows its columns (debtors.LIST_COLUMNS) on a day: kept for those values.
LIST_ROWS = KeptRows("debtors/_list_row.html", tuple, constants={"stages": STAGES})


@router.get("/", name="home")
def home() -> Response:
    return RedirectResponse("/debtors", status_code=303)


@router.get("/debtors", name="debtor_list")
async def debtor_list(request: Request, actor: ActorDep, session: SessionDep, today: TodayDep,
                      q: str = "", sort: str = "amount", page: int = 1, stage: str = "",
                      bucket: str = "", action: str = "", as_of: str = "") -> Response:
    sort = sort if sort in debtors.SORTS else "amount"
    filters = debtors.Filters(stage=stage, bucket=bucket, action=action,
                              as_of=_date_or(as_of, today))

    def render_page() -> Response:
        result = debtors.search(session, actor, query=q, sort=sort, page=page, filters=filters,
                                today=today, columns=debtors.LIST_COLUMNS,
                                counts=(request.app.state.debtor_counts,
                                        request.state.viewer.creditor.shared_revision))
        return render(request, "debtors/list.html", {
            "result": result, "q": q, "sort": sort, "can_write": actor.can_write,
            "rows": LIST_ROWS.render(templates.env, result.debtors, today=filters.as_of),
            "filters": filters, "today": filters.as_of, "sorts": debtors.SORT_LABELS,
            "stages": STAGES, "buckets": BUCKETS, "actions": debtors.NEXT_ACTION_KEYS,
            "paging": urlencode({k: v for k, v in (("q", q), ("sort", sort), ("stage", stage),
                                                   ("bucket", bucket), ("action", action),
                                                   ("as_of", as_of)) if v})},
            block="debtor_table")

    return await cached_page(request, today, render_page, session=session)


def _form(request: Request, debtor: object | None, values: dict[str, object],
          errors: dict[str, str], status_code: int = 200) -> Response:
    return render(request, "debtors/form.html",
                  {"debtor": debtor, "values": values, "errors": errors}, status_code=status_code)


@router.get("/debtors/new", name="debtor_new")
def debtor_new(request: Request, actor: ActorDep) -> Response:
    actor.require_write()
    return _form(request, None, {"kind": "company", "country": "FR", "is_merchant": "1"}, {})


@router.post("/debtors", name="debtor_create")
async def debtor_create(request: Request, actor: ActorDep, session: SessionDep) -> Response:
    data = await form_data(request)
    try:
        debtor = debtors.create(session, actor, data)
    except ValidationFailed as exc:
        return _form(request, None, dict(data), exc.errors, status_code=422)
    return redirect(request, f"/debtors/{debtor.id}?ok=created")


@router.get("/debtors/{debtor_id}", name="debtor_detail")
async def debtor_detail(request: Request, debtor_id: int, session: SessionDep,
                        today: TodayDep) -> Response:
    # Kept at the debtor's revision (app/revisions.py), read with the viewer and the access
    # check: a debtor deleted or moved since has no revision here. So a hit loads nothing else.
    viewer, revision = await viewer_and_debtor(request, session, debtor_id)
    actor = viewer.actor

    def render_page() -> Response:
        # the creditor, held while the page renders, is found in the session by the law's facts
        debtor, creditor, none_of = debtors.get_with_creditor(session, actor, debtor_id)
        lists = request.app.state.creditor_lists.at(session, actor, viewer.creditor.shared_revision)
        context = debtor_page(session, actor, debtor, today, lists, none_of)
        context["kept_sections"] = kept_sections.sections(  # rendered with the marks: kept
            templates.env, {**page_globals(request), "request": request, **context},
            context["view"].facts, actor.can_write)
        response = render(request, "debtors/detail.html", context)
        if any(row.facturx for row in context["evidence_rows"]):  # other files' invoices
            reads_other_files(response)
        return response

    return await cached_page(request, today, render_page,
                             None if revision is None else (debtor_id, revision), session=session)


@router.get("/debtors/{debtor_id}/edit", name="debtor_edit")
def debtor_edit(request: Request, debtor: DebtorDep, actor: ActorDep) -> Response:
    actor.require_write()
    values = debtor.model_dump()
    values["is_merchant"] = "1" if debtor.is_merchant else ""
    return _form(request, debtor, values, {})


@router.post("/debtors/{debtor_id}", name="debtor_update")
async def debtor_update(request: Request, debtor: DebtorDep, actor: ActorDep,
                        session: SessionDep) -> Response:
    data = await form_data(request)
    try:
        debtors.update(session, actor, debtor, data)
    except ValidationFailed as exc:
        session.rollback()
        return _form(request, debtor, dict(data), exc.errors, status_code=422)
    return redirect(request, f"/debtors/{debtor.id}?ok=updated")


@router.get("/debtors/{debtor_id}/decompte", name="debtor_decompte")
def debtor_decompte_at(request: Request, debtor: DebtorDep, actor: ActorDep,
                       session: SessionDep, today: TodayDep, as_of: str = "") -> Response:
    """The décompte at a chosen date (today when the date is missing or invalid)."""
    context = debtor_page(session, actor, debtor, today)
    chosen = _date_or(as_of, today)
    if chosen != today:
        decompte = debtor_decompte(session, debtor, chosen)
        context["view"] = replace(context["view"], decompte=decompte)
        context["claimed"] = claimed_part(decompte, chosen)
        context["decompte_as_of"] = chosen
    return render(request, "debtors/detail.html", context, block="decompte")


def _date_or(text: str, default: date) -> date:
    try:
        return parse_date(text) if text else default
    except ValueError:
        return default
