#!/usr/bin/env bash
# Run `ansible-test sanity` with the ansible-core of VENV on Python PYTHON_VERSION (the venv's own
# interpreter, so no other Python needs to be found), with no ignore file.
#
# Works offline apart from the package index: ansible-test's pip bootstrap script comes from a host
# that may be unreachable, so tools/get_pip_offline.py is put in its cache when none is there.
set -euo pipefail
venv=${1:?usage: tools/ansible-test-sanity.sh VENV PYTHON_VERSION [ansible-test options]}
python_version=${2:?usage: tools/ansible-test-sanity.sh VENV PYTHON_VERSION [ansible-test options]}
shift 2
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=$(cd "$venv" && pwd)

if compgen -G "$root/tests/sanity/ignore-*.txt" >/dev/null; then
    echo "tests/sanity/ignore-*.txt found: sanity must pass without an ignore file" >&2
    exit 1
fi

# The cache file name carries the pip version this ansible-test wants for new virtualenvs.
pip_version=$("$venv/bin/python" -c '
import sys
from types import SimpleNamespace
from ansible_test._internal.python_requirements import get_venv_packages
print(get_venv_packages(SimpleNamespace(version=sys.argv[1]))["pip"])
' "$python_version")
get_pip="$HOME/.ansible/test/cache/get_pip_${pip_version//./_}.py"
if [ ! -e "$get_pip" ]; then
    mkdir -p "$(dirname "$get_pip")"
    cp "$root/tools/get_pip_offline.py" "$get_pip"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
collection=$("$root/tools/stage.sh" "$work")
cd "$collection"
PATH="$venv/bin:$PATH" "$venv/bin/ansible-test" sanity --venv --python "$python_version" --color no "$@"
