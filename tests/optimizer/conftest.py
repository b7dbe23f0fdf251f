"""Fixtures shared by the optimizer's tests."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from tests.optimizer.helpers import solve_tiny


@pytest.fixture
def spare(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's temporary folder, where the last fallback of a write goes."""
    folder = tmp_path / "spare"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture(scope="session")
def tiny_solved_once(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The tiny school solved once for the session (seed 1, one worker); take
    :func:`tests.optimizer.helpers.copied` files, never these."""
    return solve_tiny(tmp_path_factory.mktemp("tiny"), "--time-limit", "5", "--workers", "1",
                      "--seed", "1", "--quiet")
