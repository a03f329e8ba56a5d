#!/usr/bin/env bash
# Run pytest on DIR with PYTHON (from the repository root, where tests/conftest.py applies).
# ansible-playbook and the other tools started by tests come from PYTHON's virtualenv.
# A directory without any test_*.py is reported as skipped instead of failing with pytest's
# "no tests collected" (exit 5); a directory that has tests runs them all.
set -euo pipefail
python=${1:?usage: tools/pytest-dir.sh PYTHON DIR [pytest options]}
dir=${2:?usage: tools/pytest-dir.sh PYTHON DIR [pytest options]}
shift 2
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ -z "$(find "$dir" -name 'test_*.py' -print -quit 2>/dev/null)" ]; then
    echo "SKIPPED: no test_*.py under $dir"
    exit 0
fi
bin=$(cd "$(dirname "$python")" && pwd)
PATH="$bin:$PATH" exec "$python" -m pytest "$dir" "$@"
