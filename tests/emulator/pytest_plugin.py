"""Pytest fixtures: ``emulator`` (plain HTTP) and ``emulator_tls`` (HTTPS with its own CA).

One server per session each, reset before every test; under pytest-xdist every worker is a
session of its own, so every worker has its own servers (own ports, own state) and no test sees
another worker's requests.  Load with ``pytest_plugins = ["emulator.pytest_plugin"]`` (``tests/``
must be on ``sys.path``).
"""

import pytest

from emulator.client import EmulatorClient
from emulator.server import Emulator


@pytest.fixture(scope="session")
def emulator_server():
    server = Emulator().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def emulator_tls_server():
    server = Emulator(tls=True).start()
    yield server
    server.stop()


@pytest.fixture
def emulator(emulator_server):
    """Control client of the session's emulator, reset for this test (``.url``, ``.identity``, ...)."""
    client = EmulatorClient(emulator_server.url)
    client.reset()
    return client


@pytest.fixture
def emulator_tls(emulator_tls_server):
    """Like ``emulator`` but served over HTTPS; ``.ca_path`` is the CA certificate to trust."""
    client = EmulatorClient(emulator_tls_server.url, ca_path=emulator_tls_server.ca_path)
    client.reset()
    return client
