"""The preparatory review's workbook on the pages: a reviewer imports their filled workbook
(the download is the API's ``GET …/reviews/me.xlsx``, which accepts the session cookie)."""
from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile

from app.cycles.deps import PageCycle
from app.db import SessionDep
from app.errors import request_language
from app.i18n import N_, gettext_for
from app.reviews import excel
from app.web import Flash, redirect, render, run_form

router = APIRouter()


@router.post("/cycles/{cycle_id}/review/import")
def import_workbook(request: Request, session: SessionDep, access: PageCycle, file: Annotated[UploadFile, File()]):
    """Import a filled workbook, then back to one's review (a reload does not send it again),
    saying what was updated and what was skipped. A refusal is a page listing every problem
    by sheet and cell (conflicts with both versions), with the way back to the review."""
    data = file.file.read(excel.WORKBOOK_MAX_BYTES + 1)
    review_url = f"/cycles/{access.cycle.id}/review"

    def do_import():
        imported = excel.import_workbook(session, access.rights, access.cycle, data)
        return redirect(review_url, Flash(N_(
            "Workbook imported: %(n)s indicators updated, %(skipped)s unchanged rows skipped (what is online was "
            "kept)."), n=imported.updated, skipped=imported.skipped), request)

    def refused(status: int, error: str, errors: list[dict]):
        _ = gettext_for(request_language(request))
        back = access.rights.read_own_review() is True  # a way back only to a review of one's own
        return render(request, "error.html", status_code=status, status=status, detail=error, errors=errors,
                      back_url=review_url if back else None, back_label=_(N_("Back to my review")))

    return run_form(request, session, do_import, refused)
