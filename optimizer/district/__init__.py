"""District planning: scenarios that change a school without editing its workbook
(``scenarios``), their results side by side (``compare``), and every school × every
scenario on Dask (``sweep``). Imports ``models``, the search and the outputs; never the CLI.
"""
