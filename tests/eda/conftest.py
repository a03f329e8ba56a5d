"""Fixtures of the Event-Driven Ansible tests: the emulator, the collection as a user installs it,
and a ``rulebook`` runner (rulebooks.py).

The collection is built and installed (``ansible-galaxy collection build`` then ``install``), so the
tests also show that the artifact carries ``extensions/`` and what the source imports.
"""

import glob
import os
import subprocess
import sys

import pytest

TESTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
for path in (TESTS, os.path.dirname(os.path.abspath(__file__))):
    if path not in sys.path:
        sys.path.insert(0, path)

from rulebooks import ROOT, RULEBOOK_VENV, Rulebook  # noqa: E402  (needs the path above)

pytest_plugins = ["emulator.pytest_plugin"]


@pytest.fixture(scope="session")
def collections_path(tmp_path_factory):
    """The collection built from the checkout and installed, as ANSIBLE_COLLECTIONS_PATH."""
    work = tmp_path_factory.mktemp("collection")
    galaxy = os.path.join(RULEBOOK_VENV, "bin", "ansible-galaxy")
    subprocess.run([galaxy, "collection", "build", ROOT, "--output-path", str(work / "dist")], check=True,
                   stdout=subprocess.DEVNULL)
    artifact = glob.glob(str(work / "dist" / "*.tar.gz"))[0]
    subprocess.run([galaxy, "collection", "install", "--offline", "-p", str(work / "installed"), artifact],
                   check=True, stdout=subprocess.DEVNULL)
    return str(work / "installed")


@pytest.fixture
def rulebook(tmp_path, emulator, collections_path):
    emulator.config(status_lag=0.2, release_duration=0.3)
    started = []

    class Tracking(Rulebook):
        def start(self, *args, **kwargs):
            run = super().start(*args, **kwargs)
            started.append(run)
            return run

    yield Tracking(tmp_path, emulator, collections_path)
    for run in started:   # a failed test leaves no ansible-rulebook behind
        run.stop()
