"""Office files the service writes and reads, whatever part of the review cycle they serve.

- :mod:`app.office.problems`: :class:`~app.office.problems.Problems` collects what is wrong
  with an uploaded file (sheet, cell, message id, parameters) and raises one 422 listing it all.
- :mod:`app.office.package`: :func:`~app.office.package.check_xlsx`, the checks an uploaded
  .xlsx passes before any XML parser sees it (size, zip, macros, zip bomb, password).
- :mod:`app.office.xlsx`: writing workbooks (text cells, header, row heights, print set-up,
  protection) and reading them back (open, find a sheet, rows, cell text), where every failure
  of the parser is a 422 naming its sheet and cell.

The self-assessment workbook (``app/self_assessment/excel.py``) is built on it; so are the
preparatory review's and the final report's.
"""
