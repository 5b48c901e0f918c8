#!/usr/bin/env python3
"""Prints the "Validation gate" sheet of a validation report workbook (openpyxl, as a compliance
analyst's tools would read it) as JSON: one object per check row, as tst_cli_store_registry
compares them with `cwb registry show`."""
import json
import sys

import openpyxl

sheet = openpyxl.load_workbook(sys.argv[1])["Validation gate"]
header = [c.value for c in sheet[2]]
rows = []
for row in sheet.iter_rows(min_row=3, values_only=True):
    if row[0] is None:
        continue
    rows.append(dict(zip(header, row)))
print(json.dumps({"header": header, "rows": rows}))
