"""Make the checkout importable as ``ansible_collections.huaweicloud.cloud``.

Ansible only loads a collection from a path ending in ``ansible_collections/<ns>/<name>``, and
the checkout is the collection itself. A throw-away tree with one symlink gives both pytest
(``sys.path``) and the ``ansible-playbook`` processes started by the integration tests
(``ANSIBLE_COLLECTIONS_PATH``) the same view of the working tree, so tests always exercise the
code as it is on disk, never an installed copy.
"""

import atexit
import os
import shutil
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TESTS = os.path.join(ROOT, "tests")


def _collections_root():
    root = tempfile.mkdtemp(prefix="hwc-collections-")
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    namespace = os.path.join(root, "ansible_collections", "huaweicloud")
    os.makedirs(namespace)
    os.symlink(ROOT, os.path.join(namespace, "cloud"))
    return root


COLLECTIONS_ROOT = _collections_root()
sys.path.insert(0, COLLECTIONS_ROOT)
if TESTS not in sys.path:
    sys.path.insert(0, TESTS)
os.environ["ANSIBLE_COLLECTIONS_PATH"] = COLLECTIONS_ROOT

# The emulator fixtures serve the emulator's own tests and the integration tests; pytest only
# accepts pytest_plugins in the top-level conftest.
pytest_plugins = ["emulator.pytest_plugin"]
