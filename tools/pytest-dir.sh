#!/usr/bin/env bash
# Run pytest on DIR with PYTHON (from the repository root, where tests/conftest.py applies).
# ansible-playbook and the other tools started by tests come from PYTHON's virtualenv.
# A directory that collects no test fails (pytest's exit 5): an emptied suite must not pass.
set -euo pipefail
python=${1:?usage: tools/pytest-dir.sh PYTHON DIR [pytest options]}
dir=${2:?usage: tools/pytest-dir.sh PYTHON DIR [pytest options]}
shift 2
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bin=$(cd "$(dirname "$python")" && pwd)
PATH="$bin:$PATH" exec "$python" -m pytest "$dir" "$@"
