#!/usr/bin/env python3
"""Reads a validation report workbook with openpyxl (as a compliance analyst's tools would) and
prints the figures tst_report_validation compares, as JSON."""
import json
import sys

import openpyxl

wb = openpyxl.load_workbook(sys.argv[1])
perf = wb["Performance"]
out = {"sheets": len(wb.sheetnames), "frozen": perf.freeze_panes}
header = [c.value for c in perf[2]]
this_file = header.index("This file") + 1
for row in perf.iter_rows(min_row=3):
    name = row[0].value
    cell = row[this_file - 1]
    if name == "AUC":
        out["auc"] = cell.value
        out["auc_format"] = cell.number_format
    elif name == "KS":
        out["ks"] = cell.value
    elif name == "Bad rate":
        out["bad_rate_format"] = cell.number_format
fair = wb["Fairness personal_status_sex"]
out["first_group"] = fair.cell(row=3, column=1).value
out["first_group_approval"] = fair.cell(row=3, column=3).value
print(json.dumps(out))
