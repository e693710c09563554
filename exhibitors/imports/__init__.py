"""Import and export of the staff spreadsheets (exhibitors, products, buyers, requests).

``engine.import_file``/``engine.export_file`` are the entry points; ``reader`` opens CSV and
XLSX files, ``kinds`` holds each format's columns, cell rules and bulk writes.
"""
