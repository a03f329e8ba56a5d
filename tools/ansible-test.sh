#!/usr/bin/env bash
# Run `ansible-test COMMAND` (sanity, units or integration) with the ansible-core of VENV on
# Python PYTHON_VERSION, in a staged copy of the checkout under
# .../ansible_collections/huaweicloud/cloud (ansible-test runs from nowhere else).
#
# Works offline apart from the package index: ansible-test's pip bootstrap script comes from a
# host that may be unreachable, so tools/get_pip_offline.py is put in its cache when none is there.
# sanity: runs with no ignore file, and fails when ansible-test skips a test (a missing program
# such as shellcheck would otherwise leave the shell scripts unchecked without failing).
set -euo pipefail
usage="usage: tools/ansible-test.sh VENV PYTHON_VERSION sanity|units|integration [ansible-test options]"
venv=${1:?$usage}
python_version=${2:?$usage}
command=${3:?$usage}
shift 3
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=$(cd "$venv" && pwd)

if [ "$command" = sanity ] && compgen -G "$root/tests/sanity/ignore-*.txt" >/dev/null; then
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
case "$command" in
    sanity)
        log="$work/sanity.log"
        status=0
        PATH="$venv/bin:$PATH" "$venv/bin/ansible-test" sanity --venv --python "$python_version" --color no "$@" \
            2>&1 | tee "$log" || status=$?
        if grep -q 'Skipping sanity test' "$log"; then
            echo "ansible-test skipped a sanity test (see above): install what it needs (make setup)" >&2
            exit 1
        fi
        exit "$status"
        ;;
    units)
        PATH="$venv/bin:$PATH" exec "$venv/bin/ansible-test" units --venv --python "$python_version" \
            --requirements --color no "$@"
        ;;
    integration)
        # --local: the targets run with VENV's own ansible-core and Python, which has what the
        # modules need (requests); the emulator they start needs only the standard library.
        PATH="$venv/bin:$PATH" exec "$venv/bin/ansible-test" integration --local --python "$python_version" \
            --color no "$@"
        ;;
    *)
        echo "$usage" >&2
        exit 2
        ;;
esac
