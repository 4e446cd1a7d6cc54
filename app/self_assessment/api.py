"""The initial report: the contract's JSON routes, documents, and the Excel round trip."""
import json
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Header, Request, Response, UploadFile

from app.cycles.deps import ApiCycle, ReaderCycle
from app.db import SessionDep
from app.errors import request_language
from app.etag import expected_version, set_etag
from app.ids import PathId
from app.office.xlsx import MEDIA_TYPE as XLSX
from app.self_assessment import excel, service
from app.self_assessment.schemas import DocumentPublic, EntryPublic, EntryWrite, ReopenRequest, SelfAssessmentPublic

router = APIRouter(tags=["self-assessment"])
IfMatch = Annotated[str | None, Header()]


@router.get("/cycles/{cycle_id}/self-assessment", response_model=SelfAssessmentPublic)
def get_report(access: ApiCycle, session: SessionDep):
    # Encoded here from plain data: building and validating 73 entries' models (FastAPI
    # validates a response model once more on the way out) took most of a read's time.
    data = service.report_data(session, access.rights, access.cycle)
    return Response(json.dumps(data, ensure_ascii=False, separators=(",", ":")), media_type="application/json")


@router.put("/cycles/{cycle_id}/self-assessment/{code}", response_model=EntryPublic)
def put_entry(access: ApiCycle, code: str, data: EntryWrite, session: SessionDep, response: Response,
              if_match: IfMatch = None):
    entry = service.write_entry(session, access.rights, access.cycle, code, data, expected_version(if_match))
    set_etag(response, entry.version)
    return entry


@router.post("/cycles/{cycle_id}/self-assessment/submit", response_model=SelfAssessmentPublic)
def submit(access: ApiCycle, session: SessionDep):
    return service.submit(session, access.rights, access.cycle).public()


@router.post("/cycles/{cycle_id}/self-assessment/reopen", response_model=SelfAssessmentPublic)
def reopen(access: ApiCycle, session: SessionDep, body: ReopenRequest | None = None):
    """``{"reason"}`` optional: why, shown to the host officer."""
    return service.reopen(session, access.rights, access.cycle, body.reason if body else "").public()


@router.post("/cycles/{cycle_id}/documents", status_code=201, response_model=DocumentPublic)
def upload_document(access: ApiCycle, session: SessionDep, file: Annotated[UploadFile, File()]):
    data = file.file.read(service.DOCUMENT_MAX_BYTES + 1)
    doc = service.add_document(session, access.rights, access.cycle, file.filename or "", data)
    return DocumentPublic(id=doc.id, filename=doc.filename, content_type=doc.content_type, size=doc.size,
                          sha256=doc.sha256, url=service.document_url(doc))


@router.get("/cycles/{cycle_id}/documents/{document_id}")
def download_document(access: ReaderCycle, document_id: PathId, session: SessionDep):
    """Only to those who may read the report; always as a download, never rendered inline."""
    doc = service.get_document(session, access.rights, access.cycle, document_id)
    return Response(doc.data, media_type=doc.content_type, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(doc.filename)}",
        "Content-Security-Policy": "sandbox; default-src 'none'",
        "X-Content-SHA256": doc.sha256,
    })


@router.get("/cycles/{cycle_id}/self-assessment.xlsx")
def export_workbook(request: Request, access: ReaderCycle, session: SessionDep):
    report = service.readable_report(session, access.rights, access.cycle)
    data = excel.export_workbook(report, request_language(request))
    name = f"self-assessment-cycle-{access.cycle.id}.xlsx"
    return Response(data, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.post("/cycles/{cycle_id}/self-assessment.xlsx")
def import_workbook(access: ApiCycle, session: SessionDep, file: Annotated[UploadFile, File()]):
    """``{"updated", "skipped"}``: the contract's ``updated`` (entries written), and the rows
    that had nothing to write (as exported, or already what is online)."""
    data = file.file.read(excel.WORKBOOK_MAX_BYTES + 1)
    imported = excel.import_workbook(session, access.rights, access.cycle, data)
    return {"updated": imported.updated, "skipped": imported.skipped}
