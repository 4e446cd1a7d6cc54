"""The final report's JSON routes (api-contract.md, "Report"): recommendations, the
report in four formats, the peers' sign-off, publication and revision; grown with the
sections the team leader writes, the sharing of the draft, comments and the host's
replies, and the report's state."""
from typing import Annotated, Literal

from fastapi import APIRouter, BackgroundTasks, Header, Query, Request, Response

from app.cycles.deps import ApiCycle, ApiCycleChange, ReaderCycle
from app.db import SessionDep
from app.errors import request_language
from app.etag import expected_version, set_etag
from app.i18n import gettext_for
from app.ids import PathId, id_of
from app.reports import files, publication, recommendations, sections, sharing
from app.reports.build import build_content
from app.reports.formats import FORMATS
from app.reports.schemas import (
    ChangePublic,
    CommentPublic,
    CommentWrite,
    FilePublic,
    PublishedPublic,
    PublishWrite,
    RecommendationPatch,
    RecommendationPublic,
    RecommendationWrite,
    ReportStatePublic,
    ReviseWrite,
    SectionPublic,
    SectionWrite,
    ShareWrite,
    SignOffPublic,
    VersionFilesPublic,
)

router = APIRouter(tags=["report"])
IfMatch = Annotated[str | None, Header()]
FormatName = Literal["html", "pdf", "docx", "xlsx"]
Lang = Literal["fr", "en"]
#: The HTML report served by the API: a document of its own, with its embedded style sheet
#: and no script at all.
HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"


# --- recommendations -------------------------------------------------------------------------

@router.get("/cycles/{cycle_id}/recommendations", response_model=list[RecommendationPublic])
def list_recommendations(access: ApiCycle, session: SessionDep):
    """The cycle's recommendations, oldest first (the team sees the peers' proposals too)."""
    return [recommendations.public(r) for r in recommendations.list_recommendations(session, access.rights,
                                                                                      access.cycle)]


@router.post("/cycles/{cycle_id}/recommendations", response_model=RecommendationPublic, status_code=201)
def create_recommendation(access: ApiCycle, data: RecommendationWrite, session: SessionDep, response: Response):
    """The team leader's recommendation (in the report at once), or a peer's proposal
    (``status`` "proposed" until the team leader accepts it)."""
    rec = recommendations.create_recommendation(session, access.rights, access.cycle, data)
    set_etag(response, rec.version)
    return recommendations.public(rec)


@router.get("/cycles/{cycle_id}/recommendations/{rec_id}", response_model=RecommendationPublic)
def get_recommendation(access: ApiCycle, rec_id: PathId, session: SessionDep, response: Response):
    rec = recommendations.get_recommendation(session, access.rights, access.cycle, rec_id)
    set_etag(response, rec.version)
    return recommendations.public(rec)


@router.patch("/cycles/{cycle_id}/recommendations/{rec_id}", response_model=RecommendationPublic)
def patch_recommendation(access: ApiCycle, rec_id: PathId, data: RecommendationPatch, session: SessionDep,
                         response: Response, if_match: IfMatch = None):
    """Change the fields given; ``If-Match`` with the version read (412 when it changed)."""
    rec = recommendations.update_recommendation(session, access.rights, access.cycle, rec_id, data,
                                                expected_version(if_match))
    set_etag(response, rec.version)
    return recommendations.public(rec)


@router.post("/cycles/{cycle_id}/recommendations/{rec_id}/accept", response_model=RecommendationPublic)
def accept_recommendation(access: ApiCycle, rec_id: PathId, session: SessionDep, response: Response,
                          if_match: IfMatch = None):
    """The team leader takes a peer's proposal into the report."""
    rec = recommendations.accept_recommendation(session, access.rights, access.cycle, rec_id,
                                                expected_version(if_match))
    set_etag(response, rec.version)
    return recommendations.public(rec)


@router.delete("/cycles/{cycle_id}/recommendations/{rec_id}", status_code=204)
def delete_recommendation(access: ApiCycle, rec_id: PathId, session: SessionDep, if_match: IfMatch = None):
    recommendations.delete_recommendation(session, access.rights, access.cycle, rec_id, expected_version(if_match))
    return Response(status_code=204)


# --- the report --------------------------------------------------------------------------------

@router.get("/cycles/{cycle_id}/report")
def get_report(access: ReaderCycle, session: SessionDep, format: FormatName = "html", lang: Lang = "fr",  # noqa: A002
               version: Annotated[int | None, Query(ge=1)] = None):
    """The final host-city report in ``format`` and ``lang``: a published version as it was
    stored (``version``, else the latest), byte for byte; before publication, the draft
    (the team; the host city's officer once it is shared with them)."""
    found = publication.download(session, access.rights, access.cycle, format, lang, version)
    disposition = "inline" if format in ("html", "pdf") else "attachment"
    headers = {"Content-Disposition": f'{disposition}; filename="{found.filename}"'}
    if found.sha256:
        headers["ETag"] = f'"{found.sha256}"'
    if format == "html":
        headers["Content-Security-Policy"] = HTML_CSP
    return Response(found.data, media_type=FORMATS[format].media_type, headers=headers)


@router.get("/cycles/{cycle_id}/report/versions/{number}/changes", response_model=list[ChangePublic])
def get_changes(request: Request, access: ApiCycle, number: PathId, session: SessionDep):
    """What changed from the version before (judgements, texts, recommendations); empty for
    version 1."""
    _ = gettext_for(request_language(request))
    return [ChangePublic(what=_(c.what, **c.params), before=c.before, after=c.after)
            for c in publication.version_changes(session, access.rights, access.cycle, number)]


@router.get("/cycles/{cycle_id}/report/sections", response_model=list[SectionPublic])
def list_sections(access: ApiCycle, session: SessionDep):
    """The texts the team leader writes (the summary, each pillar's strengths and weaknesses)."""
    sharing.readable(session, access.rights, access.cycle)
    return [SectionPublic(key=s.key, text=s.text, version=s.version, updated_at=s.updated_at if s.version else None)
            for s in sections.read_sections(session, access.cycle)]


@router.put("/cycles/{cycle_id}/report/sections/{key}", response_model=SectionPublic)
def put_section(access: ApiCycle, key: str, data: SectionWrite, session: SessionDep, response: Response,
                if_match: IfMatch = None):
    """The team leader's text of one section; ``If-Match`` with the version read (``"0"``:
    only if never written)."""
    row = sections.write_section(session, access.rights, access.cycle, key, data.text, expected_version(if_match))
    set_etag(response, row.version)
    return SectionPublic(key=row.key, text=row.text, version=row.version, updated_at=row.updated_at)


@router.get("/cycles/{cycle_id}/report/state", response_model=ReportStatePublic)
def get_state(access: ApiCycle, session: SessionDep, response: Response):
    """Who the draft is shared with, its checksum (also the ETag a sign-off may send as
    ``If-Match``), each peer's sign-off, and the published versions."""
    state = sharing.readable(session, access.rights, access.cycle)
    draft = build_content(session, access.cycle).checksum()
    offs = sharing.sign_offs(session, access.cycle, draft)
    response.headers["ETag"] = f'"{draft}"'
    return ReportStatePublic(
        sharing=state.sharing, draft_sha256=draft,
        sign_offs=[SignOffPublic(user_id=s.user_id, name=s.name, signed=s.signed, signed_at=s.signed_at,
                                 stale=s.stale) for s in offs],
        missing_sign_offs=[s.user_id for s in offs if not s.signed],
        versions=sharing.versions_of(session, access.cycle), revision_reason=state.revision_reason)


@router.post("/cycles/{cycle_id}/report/share", response_model=ReportStatePublic)
def share(access: ApiCycle, data: ShareWrite, session: SessionDep, response: Response):
    """The team leader shares the draft with the team ("team"), then with the host city
    too ("host")."""
    sharing.share(session, access.rights, access.cycle, data.sharing)
    return get_state(access, session, response)


@router.post("/cycles/{cycle_id}/report/sign-off", response_model=SignOffPublic)
def sign_off(access: ApiCycle, session: SessionDep, if_match: IfMatch = None):
    """A peer of the team approves the current draft (``If-Match``: the draft's checksum as
    read, 412 if it changed since)."""
    seen = if_match.strip().strip('"') if if_match and if_match.strip() != "*" else None
    done = sharing.sign_off(session, access.rights, access.cycle, seen)
    return SignOffPublic(user_id=done.user_id, name=done.name, signed=True, signed_at=done.signed_at, stale=False)


@router.get("/cycles/{cycle_id}/report/comments", response_model=list[CommentPublic])
def list_comments(access: ApiCycle, session: SessionDep):
    """The peers' comments and the host city's replies, section by section, oldest first."""
    sharing.readable(session, access.rights, access.cycle)
    return [CommentPublic(id=c.id or 0, section=c.section, kind=c.kind, author_id=c.author_id, author_name=name,
                          text=c.text, created_at=c.created_at)
            for c, name in sharing.comments_of(session, access.cycle)]


@router.post("/cycles/{cycle_id}/report/comments", response_model=CommentPublic, status_code=201)
def add_comment(access: ApiCycle, data: CommentWrite, session: SessionDep):
    """A peer's comment on a section of the shared draft, or the host city's reply."""
    c = sharing.add_comment(session, access.rights, access.cycle, data.section, data.text)
    return CommentPublic(id=c.id or 0, section=c.section, kind=c.kind, author_id=c.author_id,
                         author_name=access.user.full_name, text=c.text, created_at=c.created_at)


@router.post("/cycles/{cycle_id}/report/publish", response_model=PublishedPublic)
def publish(request: Request, access: ApiCycleChange, session: SessionDep, background: BackgroundTasks,
            data: PublishWrite | None = None):
    """The team leader publishes: 409 with ``missing_sign_offs`` while a peer has not signed
    off the draft as it stands, unless ``override_reason`` says why (recorded). The files
    are rendered once the publication is committed: ``files`` follows them."""
    version = publication.publish(session, access.rights, access.cycle, data.override_reason if data else None)
    background.add_task(files.render_version, request.app.state.engine, id_of(version))
    return PublishedPublic(version=version.number,
                           files=f"/api/v1/cycles/{access.cycle.id}/report/versions/{version.number}/files")


@router.get("/cycles/{cycle_id}/report/versions/{number}/files", response_model=VersionFilesPublic)
def get_files(access: ReaderCycle, number: PathId, session: SessionDep):
    """A published version's files: how many are ready, and each stored one with its SHA-256."""
    version = publication.version_of(session, access.rights, access.cycle, number)
    stored = files.stored_files(session, id_of(version))
    return VersionFilesPublic(version=number, ready=len(stored), total=files.TOTAL, files=[
        FilePublic(format=f.format, lang=f.lang, sha256=f.sha256, size=f.size, created_at=f.created_at)
        for f in stored])


@router.post("/cycles/{cycle_id}/report/revise", response_model=ReportStatePublic)
def revise(access: ApiCycleChange, data: ReviseWrite, session: SessionDep, response: Response):
    """A coordinator opens a revision of the published report, with a reason: the cycle
    returns to the reporting; publishing again makes the next version."""
    sharing.open_revision(session, access.rights, access.cycle, data.reason)
    return get_state(access, session, response)

