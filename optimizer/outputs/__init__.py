"""What a solve writes: the output workbook (``export``) and every report sheet and PDF
(``report``). Imports ``models`` and the search's result types; never the CLI.
"""
