"""Office files the service writes and reads, whatever part of the review cycle they serve.

- :mod:`app.office.problems`: :class:`~app.office.problems.Problems` collects what is wrong
  with an uploaded file (sheet, cell, message id, parameters) and raises one 422 listing it all.
- :mod:`app.office.package`: :func:`~app.office.package.check_xlsx`, the checks an uploaded
  .xlsx passes before any XML parser sees it (size, zip, macros, zip bomb, password).
- :mod:`app.office.xlsx`: writing workbooks (text cells, header, row heights, print set-up,
  protection) and reading them back (open, find a sheet, rows, cell text), where every failure
  of the parser is a 422 naming its sheet and cell.
- :mod:`app.office.table`: the sheets of a workbook filled offline (instructions in French
  and English; one row per indicator, reference locked and grey, drop-downs) and the reading
  of its rows back, every problem by sheet and cell.
- :mod:`app.office.meta`: the hidden ``_meta`` sheet (cycle, indicator set, each row's
  version and digest as exported), which rows of an import are edits, skipped or conflicts,
  and the refusal that shows a conflict's both versions.

The self-assessment workbook (``app/self_assessment/excel.py``) and the preparatory review's
(``app/reviews/excel.py``) are built on it; so is the consolidation's export.
"""
