"""Imported first by every benchmark, so that it measures this checkout.

Run as ``python benchmarks/run.py``, a script sees its own folder and then
site-packages, where a copy installed without ``-e`` (``pip install .``, as CI
does on its clone) would be imported instead of the code being measured — and a
benchmark of changed code would report the old code's figures.
"""

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[1])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
