"""The job registry (app/jobs.py) is the first thing `contentieux worker` imports: it must
import on its own, in a fresh interpreter, whatever the order of the services it pulls in."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("module", ["app.jobs", "app.services.alerts", "app.services.audit",
                                    "app.services.courts", "app.services.demo",
                                    "app.web.templating", "app.web.value_keys"])
def test_the_module_imports_first_in_a_fresh_interpreter(module: str) -> None:
    done = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
