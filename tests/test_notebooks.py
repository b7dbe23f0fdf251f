"""The notebooks run end to end, on small schools with short solves, and are stored clean.

Each notebook's first code cell reads its parameters from ``NB_*`` environment variables
(the kernel inherits this process's environment); here they are set small, so both
notebooks together take well under a minute on two cores. Every figure must render
as an image, and no cell may fail.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NAMES = ("scenario_comparison.ipynb", "district_sweep.ipynb")

SMALL: dict[str, str] = {
    "NB_NUM_STUDENTS": "80",
    "NB_SEED": "2",
    "NB_TIME_LIMIT": "4",
    "NB_WORKERS": "1",
    "NB_NUM_SCHOOLS": "2",
    "NB_MIN_STUDENTS": "60",
    "NB_MAX_STUDENTS": "120",
    "NB_N_WORKERS": "0",
}
"""Parameters for CI: two schools of 60 and 120 students (two, so that every per-school
table and figure has more than one school in it; each school more is four more solves),
four-second solves (with less, the solver keeps a second for checking and the scenario
comparison's capped-teacher scenarios find no schedule)."""

FOR_NOTEBOOK: dict[str, dict[str, str]] = {"district_sweep.ipynb": {"NB_TIME_LIMIT": "2.5"}}
"""Where one notebook needs less: at these sizes every pair of the sweep, "teachers max 2"
included, finds a schedule in two and a half seconds (measured 2026-12)."""

EXPECTED_FIGURES = {"scenario_comparison.ipynb": 3, "district_sweep.ipynb": 3}


@pytest.mark.slow
@pytest.mark.timeout(600)
@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_end_to_end(name: str, tmp_path: Path,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in {**SMALL, **FOR_NOTEBOOK.get(name, {})}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("NB_OUTPUT_DIR", str(tmp_path / "output"))
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    # Run from notebooks/, as a planner would, so its relative paths hold.
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= EXPECTED_FIGURES[name]
    if name == "district_sweep.ipynb":
        output = tmp_path / "output"
        assert (output / "results.xlsx").exists()
        assert (output / "results.parquet").exists()
        assert (output / "district-summary.xlsx").exists()
        assert len(list((output / "schools").glob("*.xlsx"))) == int(SMALL["NB_NUM_SCHOOLS"])


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_stored_without_outputs(name: str) -> None:
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{name}: a cell is stored with its output"
            assert cell.execution_count is None
    first_code = next(c for c in notebook.cells if c.cell_type == "code")
    assert "parameters" in first_code.metadata.get("tags", [])
    assert "os.environ.get" in first_code.source
