#!/usr/bin/env python3
"""openpyxl, a real spreadsheet reader, opens a workbook srmlint wrote and prints every
sheet as JSON (run by tests/report_spreadsheet.rs with the Python of a venv that has
openpyxl installed).

usage: xlsx_reads.py WORKBOOK

Prints {"sheets": [names], "created": ISO date, "cells": {sheet: [[value, ...], ...]},
"types": {sheet: set of cell data types}} and exits 1 when a cell holds a formula.
"""
import json
import sys

import openpyxl


def main() -> int:
    workbook = openpyxl.load_workbook(sys.argv[1])
    out = {
        "sheets": workbook.sheetnames,
        "created": workbook.properties.created.isoformat() if workbook.properties.created else None,
        "modified": workbook.properties.modified.isoformat() if workbook.properties.modified else None,
        "cells": {},
        "types": {},
    }
    formulas = []
    for sheet in workbook.worksheets:
        rows = []
        types = set()
        for row in sheet.iter_rows():
            values = []
            for cell in row:
                if cell.value is not None:
                    types.add(cell.data_type)
                if cell.data_type == "f":
                    formulas.append(f"{sheet.title}!{cell.coordinate}")
                values.append("" if cell.value is None else str(cell.value))
            rows.append(values)
        out["cells"][sheet.title] = rows
        out["types"][sheet.title] = sorted(types)
    print(json.dumps(out))
    if formulas:
        print("formula cells: " + ", ".join(formulas), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
