"""What is wrong with an uploaded office file: every problem with its place, then one 422."""
from __future__ import annotations

from typing import Any, NoReturn

from app.errors import InvalidInput
from app.i18n import N_

NOT_IMPORTED = N_("The workbook was not imported: %(n)s problems, nothing was changed.")


class Problems:
    """The problems of one file, in the order found, as the 422's ``errors``: each
    ``{"sheet", "cell", "msg", "params"}``, where ``msg`` is a message id (marked ``N_``)
    translated with ``params`` when shown, and ``sheet``/``cell`` are None when the problem
    is not in one sheet or one cell."""

    def __init__(self, summary: str = NOT_IMPORTED) -> None:
        """``summary``: the 422's ``detail``, a message id given ``n``, the number of problems."""
        self.items: list[dict[str, Any]] = []
        self.summary = summary

    def __len__(self) -> int:
        return len(self.items)

    def add(self, sheet: str | None, cell: str | None, msg: str, /, **params: Any) -> None:
        """Note one problem. The place and the message are positional, so that a message may
        have parameters of any name (``sheet`` included)."""
        self.items.append({"sheet": sheet, "cell": cell, "msg": msg, "params": params})

    def error(self) -> InvalidInput:
        """The 422 listing every problem noted so far."""
        return InvalidInput(self.summary, n=len(self.items), extra={"errors": self.items})

    def raise_if_any(self) -> None:
        """Raise the 422 listing every problem, if there is one."""
        if self.items:
            raise self.error()

    def refuse(self, sheet: str | None, cell: str | None, msg: str, /, **params: Any) -> NoReturn:
        """Note this problem and raise the 422 with every problem noted so far."""
        self.add(sheet, cell, msg, **params)
        raise self.error()


def refuse(sheet: str | None, cell: str | None, msg: str, /, **params: Any) -> NoReturn:
    """Refuse a file for this one problem (422)."""
    Problems().refuse(sheet, cell, msg, **params)
