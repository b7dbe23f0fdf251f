"""Reports for coordinators, principals and homeroom teachers: the output workbook and PDFs.

``write_report`` writes the workbook (``workbook.py``); ``write_pdf`` prints
rosters, class lists or staff timetables from a workbook's print data
(``pdf.py``). Both render the same language-neutral views (``views.py``) through
one table of English and Chinese labels (``labels.py``).
"""
