"""The Dockerfile (issue 12). Docker cannot run on the test machines, so it is linted: it exists, installs
from requirements.txt on a pinned Python base, runs as a non-root user, exposes 8501 with a health check on
Streamlit's /_stcore/health, and listens on every interface inside the container only."""

import re
import shutil
import subprocess

import pytest

from tests.conftest import ROOT

DOCKERFILE = ROOT / "Dockerfile"


def instructions() -> list[tuple[str, str]]:
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())  # join continued lines
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def test_the_dockerfile_is_sound():
    steps = instructions()
    words = [w for w, _ in steps]
    base = [r for w, r in steps if w == "FROM"]
    assert base == ["python:3.11-slim"]
    assert not any(":latest" in b or ":" not in b for b in base)
    runs = " ".join(r for w, r in steps if w == "RUN")
    assert "pip install -r requirements.txt" in runs and "requirements-dev" not in runs
    assert any(w == "COPY" and "requirements.txt" in r for w, r in steps)
    users = [r for w, r in steps if w == "USER"]
    assert users and users[-1] not in ("root", "0")
    assert words.index("USER") < words.index("CMD")  # the app runs as that user
    assert ("EXPOSE", "8501") in steps
    health = [r for w, r in steps if w == "HEALTHCHECK"]
    assert len(health) == 1 and "/_stcore/health" in health[0] and "CMD" in health[0]
    cmd = [r for w, r in steps if w == "CMD"][-1]
    assert cmd.startswith("[") and '"streamlit", "run", "app.py"' in cmd and '"0.0.0.0"' in cmd
    assert "ADD" not in words  # COPY only: nothing fetched from a URL at build time


def test_the_image_leaves_out_workspaces_keys_and_secrets():
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    for pattern in ("*.duckdb", "*.key", ".streamlit/secrets.toml", "data/", ".git"):
        assert pattern in ignored


def test_the_readme_documents_it():
    readme = (ROOT / "README.md").read_text()
    assert "docker build" in readme and "docker run" in readme and "CX_PASSWORD" in readme


@pytest.mark.skipif(not shutil.which("hadolint"), reason="hadolint is not installed")
def test_hadolint():
    result = subprocess.run(
        ["hadolint", "--ignore", "DL3013", str(DOCKERFILE)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout
