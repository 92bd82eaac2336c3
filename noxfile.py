"""Developer sessions: ``nox -s tests``, ``lint``, ``typecheck``, ``bench``."""

from __future__ import annotations

import nox

nox.options.sessions = ["tests", "lint", "typecheck"]
nox.options.reuse_existing_virtualenvs = True


@nox.session
def tests(session: nox.Session) -> None:
    """The test suite (the README's test command)."""
    session.install("-e", ".[test]")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff: lint and formatting."""
    session.install("ruff>=0.6")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict over the package."""
    session.install("-e", ".[dev]")
    session.run("mypy", "--strict", "novoserve_async")


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks: client CPU per call, fan-out scaling, scan memory. Not in CI (too noisy)."""
    session.install("-e", ".[test]")
    session.run("python", "benchmarks/bench_cpu.py", *session.posargs)
    session.run("python", "benchmarks/bench_fleet_memory.py")
