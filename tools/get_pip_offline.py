"""Offline stand-in for the get-pip.py bootstrap script that ansible-test downloads.

ansible-test (``--venv`` and the per-test virtualenvs of ``sanity``) bootstraps pip in every new
virtualenv with a script fetched from ci-files.testing.ansible.com, and looks for it first in
``~/.ansible/test/cache/get_pip_<version>.py``. Where that host is unreachable (only PyPI is),
tools/ansible-test.sh copies this file there. It installs pip from the interpreter's bundled
wheel (ensurepip), then the packages ansible-test asked for, from the configured package index.
"""

import ensurepip
import os
import subprocess
import sys

# Options of the real get-pip.py that plain `pip install` does not know.
GET_PIP_ONLY_OPTIONS = {"--no-setuptools", "--no-wheel"}


def main():
    ensurepip.bootstrap()
    # ensurepip points PIP_CONFIG_FILE at /dev/null for its own run; left in place it would hide
    # the machine's pip configuration (index URL, CA certificate) from the install below.
    os.environ.pop("PIP_CONFIG_FILE", None)
    arguments = [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY_OPTIONS]
    return subprocess.call([sys.executable, "-m", "pip", "install"] + arguments)


if __name__ == "__main__":
    sys.exit(main())
