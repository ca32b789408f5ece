"""cx.preload: a slow import started in a thread goes on beside the caller's work."""

import importlib
import logging
import subprocess
import sys
import threading
import time

from cx.preload import preload
from tests.conftest import ROOT


def test_the_import_runs_once_in_its_thread_and_the_caller_does_not_wait(tmp_path, monkeypatch):
    (tmp_path / "cx_slow_module.py").write_text(
        "import threading, time\nTHREAD = threading.current_thread().name\ntime.sleep(1.0)\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    started = time.perf_counter()
    preload("cx_slow_module")
    assert time.perf_counter() - started < 0.5  # returned before the module's 1 s of work
    while "cx_slow_module" not in sys.modules:  # the thread has begun the import (the module runs its body)
        time.sleep(0.01)
    # waits for the thread's import (Python's import lock), never runs it twice; by name: a module written by the
    # test, which the dependency check must not take for a package to declare
    slow = importlib.import_module("cx_slow_module")
    assert slow.THREAD == "preload cx_slow_module" and threading.current_thread().name != slow.THREAD
    preload("cx_slow_module")  # imported already: no thread
    assert not any(t.name == "preload cx_slow_module" for t in threading.enumerate())
    del sys.modules["cx_slow_module"]


def test_a_failing_import_is_only_logged(caplog):
    with caplog.at_level(logging.WARNING, logger="cx.preload"):
        preload("cx_no_such_module_anywhere")
        for thread in threading.enumerate():
            if thread.name == "preload cx_no_such_module_anywhere":
                thread.join(10)
    assert "preloading cx_no_such_module_anywhere failed" in caplog.text


def test_the_maturity_and_the_findings_modules_do_not_import_scipy():
    # the friction statistics import SciPy's gammaln on first use (the findings preload it beside their queries):
    # the maturity command, which computes no finding, never loads it (~0.2 s)
    code = "import sys, cx.commands.maturity, cx.friction; print('scipy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False"], out.stderr
