"""The INTI-CITIES peer-review service: a thin shell around ``benchmark``."""
import os

# openpyxl reads with lxml when lxml is installed (python-docx brings it), and its lxml parser
# ignores a DTD's entities where defusedxml, openpyxl's other way, refuses them: uploaded
# workbooks must be refused (app/office/xlsx.py checks this held). Set before openpyxl is
# imported, which this package's first import is.
os.environ["OPENPYXL_LXML"] = "False"
