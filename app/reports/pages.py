"""The final report on its pages: the workspace (where the draft stands, the peers'
sign-offs, the texts the team leader writes, the comments and the host city's replies,
sharing, publishing, the versions and their downloads), the report read in the page, and
the report's panel on the cycle page.

Who sees and does what is :class:`CycleRights` (``read_report``, ``write_report``,
``sign_off_report``, ``reply_to_report``, ``share_report``, ``revise_report``): the page
offers only what the reader may do.
"""
from typing import Any

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import JSONResponse, Response

from benchmark.scales import CycleRole, Phase

from app.auth.permissions import require
from app.cycles.deps import CycleAccess, PageCycle, PageCycleChange
from app.cycles.panels import register_next_steps, register_panel
from app.db import SessionDep
from app.errors import InvalidInput
from app.etag import expected_version
from app.i18n import N_, gettext_for
from app.ids import id_of
from app.reports import files, publication, sections, sharing
from app.reports.build import build_content
from app.reports.content import ReportContent, section_keys
from app.reports.formats import FORMATS
from app.reports.html import report_context
from app.reports.schemas import CommentWrite, PublishWrite, ReviseWrite, SectionWrite, ShareWrite
from app.web import Flash, FormFields, parse_form, redirect, render, run_form

router = APIRouter()
STEPS = (("writing", N_("Written by the team leader")), ("team", N_("Shared with the team")),
         ("host", N_("Shared with the host city")), ("published", N_("Published")))
LANGUAGE_LABELS = {"fr": N_("in French"), "en": N_("in English")}


def _url(access: CycleAccess, tail: str = "") -> str:
    return f"/cycles/{access.cycle.id}/report{tail}"


def section_label(key: str, content: ReportContent, lang: str, _) -> str:
    """A section's name as the reader knows it: "Summary", "GG — Strengths"…"""
    kind, _sep, pillar = key.partition(":")
    names = {"summary": N_("Summary"), "heat_map": N_("Where the city stands"),
             "self_vs_team": N_("The city's self-assessment and the team's judgement"),
             "recommendations": N_("Recommendations"), "annexes": N_("Annexes"), "strengths": N_("Strengths"),
             "weaknesses": N_("Weaknesses"), "pillar": N_("Judgements")}
    if not pillar:
        return str(_(names.get(kind, kind)))
    found = next((p for p in content.pillars if p.code == pillar), None)
    return f"{pillar} {found.name.get(lang, '') if found else ''} — {_(names.get(kind, kind))}"


def _workspace(request: Request, session, access: CycleAccess, status_code: int = 200, **context: Any) -> Response:
    rights = access.rights
    state = sharing.readable(session, rights, access.cycle)
    content = build_content(session, access.cycle)
    draft = content.checksum()
    offs = sharing.sign_offs(session, access.cycle, draft)
    comments = sharing.comments_of(session, access.cycle)
    lang = request.state.lang
    _ = gettext_for(lang)
    labels = {k: section_label(k, content, lang, _) for k in section_keys([p.code for p in content.pillars])}
    return render(
        request, "reports/workspace.html", status_code=status_code, cycle=access.cycle, state=state, content=content,
        draft=draft, offs=offs, signed=sum(1 for s in offs if s.signed), comments=comments,
        labels=labels,
        texts=sections.read_sections(session, access.cycle) if rights.write_report() is True else [],
        versions=sharing.versions_of(session, access.cycle), steps=STEPS,
        file_progress=files.progress_of(session, id_of(access.cycle)) if rights.read_published_report() is True else {},
        changed=publication.changes_by_version(session, rights, access.cycle),
        step_index=[s for s, _label in STEPS].index(state.sharing), formats=list(FORMATS),
        language_labels=LANGUAGE_LABELS,
        can_write=rights.write_report() is True, can_share=rights.share_report() is True,
        can_sign=rights.sign_off_report(state.sharing) is True,
        can_reply=rights.reply_to_report(state.sharing) is True, can_revise=rights.revise_report() is True,
        my_sign_off=next((s for s in offs if s.user_id == rights.user.id), None), **context)


@router.get("/cycles/{cycle_id}/report")
def report_page(request: Request, session: SessionDep, access: PageCycle):
    """Where the report stands and what the reader may do with it now."""
    return _workspace(request, session, access)


def _act(request: Request, session, access: CycleAccess, action, done: str, **params: Any) -> Response:
    def run() -> Response:
        action()
        return redirect(_url(access), Flash(done, **params), request)

    def refused(status: int, error: str, errors: list[dict]) -> Response:
        return _workspace(request, session, access, status, error=error, errors=errors)

    return run_form(request, session, run, refused)


@router.post("/cycles/{cycle_id}/report/share")
def share_page(request: Request, session: SessionDep, access: PageCycle, form: FormFields):
    data = parse_form(ShareWrite, {"sharing": form.get("sharing", "")})
    done = N_("The draft is shared with the team: each peer can now sign it off or comment on it.") \
        if data.sharing == "team" else N_("The draft is shared with the host city: its officer can now reply to it.")
    return _act(request, session, access, lambda: sharing.share(session, access.rights, access.cycle, data.sharing),
                done)


@router.post("/cycles/{cycle_id}/report/sign-off")
def sign_off_page(request: Request, session: SessionDep, access: PageCycle, form: FormFields):
    """The peer signs off the draft they read (its checksum sent back with the form)."""
    seen = str(form.get("draft") or "") or None
    return _act(request, session, access, lambda: sharing.sign_off(session, access.rights, access.cycle, seen),
                N_("You signed off the draft."))


@router.post("/cycles/{cycle_id}/report/comments")
def comment_page(request: Request, session: SessionDep, access: PageCycle, form: FormFields):
    def add() -> None:
        data = parse_form(CommentWrite, {"section": form.get("section", ""),
                                         "text": str(form.get("text") or "").replace("\r\n", "\n")})
        sharing.add_comment(session, access.rights, access.cycle, data.section, data.text)

    done = N_("Your reply is beside the section.") if access.role == CycleRole.HOST_OFFICER \
        else N_("Your comment is beside the section.")
    return _act(request, session, access, add, done)


@router.post("/cycles/{cycle_id}/report/publish")
def publish_page(request: Request, session: SessionDep, access: PageCycleChange, form: FormFields,
                 background: BackgroundTasks):
    """Publish, then render the files once the publication is committed (the page shows
    them coming)."""
    def publish() -> None:
        reason = str(form.get("reason") or "").strip() or None
        data = parse_form(PublishWrite, {"override_reason": reason})
        version = publication.publish(session, access.rights, access.cycle, data.override_reason)
        background.add_task(files.render_version, request.app.state.engine, id_of(version))

    return _act(request, session, access, publish,
                N_("The report is published: it is frozen, and the host city can read it. Its files in every "
                   "format are being prepared below."))


@router.post("/cycles/{cycle_id}/report/revise")
def revise_page(request: Request, session: SessionDep, access: PageCycleChange, form: FormFields):
    def revise() -> None:
        data = parse_form(ReviseWrite, {"reason": form.get("reason", "")})
        sharing.open_revision(session, access.rights, access.cycle, data.reason)

    return _act(request, session, access, revise,
                N_("A revision is open: the cycle is back in its reporting; publishing again makes the next version."))


@router.post("/cycles/{cycle_id}/report/sections/{key}")
def save_section(request: Request, session: SessionDep, access: PageCycle, key: str, form: FormFields):
    """Save one of the team leader's texts: as they type (JSON answer), or with the form's
    Save button without script."""
    as_json = "application/json" in request.headers.get("accept", "")
    require(access.rights.write_report())

    def save() -> Response:
        try:
            data = parse_form(SectionWrite, {"text": str(form.get("text") or "").replace("\r\n", "\n")})
        except InvalidInput as exc:
            for error in exc.extra.get("errors", []):
                error["field"] = "text"
            raise
        row = sections.write_section(session, access.rights, access.cycle, key, data.text,
                                     expected_version(form.get("version") or None))
        if as_json:
            return JSONResponse({"version": row.version, "complete": bool(row.text.strip())})
        return redirect(_url(access, f"#section-{key.replace(':', '-')}"), Flash(N_("Text saved.")), request)

    def refused(status: int, error: str, errors: list[dict]) -> Response:
        if as_json:
            body: dict[str, Any] = {"detail": error, "errors": errors}
            if status == 412:
                now = next(s for s in sections.read_sections(session, access.cycle) if s.key == key)
                body.update({"current": {"version": now.version, "text": now.text},
                             "differences": [{"label": "", "text": now.text}]})
            return JSONResponse(body, status_code=status)
        return _workspace(request, session, access, status, error=error, errors=errors)

    return run_form(request, session, save, refused)


@router.get("/cycles/{cycle_id}/report/read")
def read_page(request: Request, session: SessionDep, access: PageCycle, version: int | None = None):
    """The report itself in the page: a published version as frozen, else the draft."""
    content = None
    if version is not None or access.cycle.phase == Phase.PUBLISHED.value:
        require(access.rights.read_published_report())
        content = publication.published_content(session, access.cycle, version)
    if content is None:
        sharing.readable(session, access.rights, access.cycle)
        content = build_content(session, access.cycle)
    lang = request.state.lang
    return render(request, "reports/read.html", cycle=access.cycle, **{
        k: v for k, v in report_context(content, lang).items() if k not in ("_", "lang", "colon")})


# --- on the cycle page and My cycles --------------------------------------------------------------

def _cycle_panel(session, access: CycleAccess) -> dict | None:
    rights = access.rights
    state = sharing.report_state(session, access.cycle)
    if rights.read_report(state.sharing) is not True:
        return None
    return {"sharing": state.sharing, "versions": sharing.versions_of(session, access.cycle),
            "can_write": rights.write_report() is True}


register_panel(Phase.REPORTING.order, "reports/report_panel.html", _cycle_panel)


def _next_steps(session, user, views, _) -> dict[int, list[tuple[str, str]]]:
    """On My cycles: the team leader writes the report; a peer signs off a shared draft."""
    out: dict[int, list[tuple[str, str]]] = {}
    reporting = [v for v in views if v.cycle.phase == Phase.REPORTING.value]
    shared = sharing.sharing_of(session, [v.cycle for v in reporting])
    for v in reporting:
        if v.my_role == CycleRole.TEAM_LEADER:
            out[v.cycle.id] = [(_(N_("Write the final report")), f"/cycles/{v.cycle.id}/report")]
        elif v.my_role == CycleRole.PEER and shared.get(v.cycle.id) in ("team", "host"):
            out[v.cycle.id] = [(_(N_("Read and sign off the final report")), f"/cycles/{v.cycle.id}/report")]
    return out


register_next_steps(_next_steps)
