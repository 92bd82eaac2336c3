"""Fixtures shared by the whole suite."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_ambient_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the developer's own NOVOSERVE_* variables out of every test."""
    for name in ("NOVOSERVE_API_KEY", "NOVOSERVE_API_SECRET", "NOVOSERVE_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
