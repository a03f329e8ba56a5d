#!/usr/bin/env bash
# Build the collection artifact with BUILD_VENV's ansible-galaxy, then, for each CHECK_VENV,
# install that artifact into a temporary path and run ansible-doc on every module from the
# installed copy: what a user gets from `ansible-galaxy collection install <tarball>`.
# Then check that ansible-builder (BUILD_VENV) finds the collection's Python requirements,
# as it does when it builds an AWX/AAP execution environment. Finally, with --importer, run
# galaxy-importer from IMPORTER_VENV on the artifact, as Galaxy and Automation Hub do on upload
# (tools/galaxy-importer.sh).
set -euo pipefail
usage="usage: tools/build-check.sh [--importer IMPORTER_VENV] BUILD_VENV CHECK_VENV..."
importer_venv=""
if [ "${1:-}" = --importer ]; then
    importer_venv=${2:?$usage}
    shift 2
fi
build_venv=${1:?$usage}
shift
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$build_venv/bin/ansible-galaxy" collection build "$root" --output-path "$work/dist"
artifact=$(ls "$work"/dist/huaweicloud-cloud-*.tar.gz)

modules=()
for path in "$root"/plugins/modules/*.py; do
    name=$(basename "$path" .py)
    [ -e "$path" ] && [ "$name" != __init__ ] && modules+=("huaweicloud.cloud.$name")
done

for venv in "$@"; do
    version=$("$venv/bin/python" -c 'import ansible; print(ansible.__version__)')
    target="$work/installed-$version"
    "$venv/bin/ansible-galaxy" collection install --offline -p "$target" "$artifact"
    if [ ${#modules[@]} -eq 0 ]; then
        echo "no modules in plugins/modules/ yet: nothing to document"
        continue
    fi
    for module in "${modules[@]}"; do
        echo "ansible-doc $module (ansible-core $version, installed copy)"
        # -j gives the parsed documentation; an unloadable or undocumented module fails here.
        ANSIBLE_COLLECTIONS_PATH="$target" "$venv/bin/ansible-doc" -t module -j "$module" >"$work/doc.json"
        "$venv/bin/python" -c '
import json, sys
doc = json.load(open(sys.argv[1]))[sys.argv[2]]
if not doc.get("doc", {}).get("short_description"):
    sys.exit("ansible-doc found no documentation for " + sys.argv[2])
' "$work/doc.json" "$module"
    done
done

ee="$work/execution-environment"
"$build_venv/bin/ansible-galaxy" collection install --offline -p "$ee" "$artifact" >/dev/null
"$build_venv/bin/ansible-builder" introspect --sanitize "$ee" | tee "$work/ee.txt"
if ! grep -q "requests.*from collection huaweicloud.cloud" "$work/ee.txt"; then
    echo "ansible-builder did not find the requests requirement in meta/execution-environment.yml" >&2
    exit 1
fi

# The example EE definition (docs/execution-environment/) is valid for ansible-builder: `create`
# writes its build context, whose Containerfile installs the galaxy requirements and runs
# ansible-builder's introspection, which finds requests as above.
cp -r "$root/docs/execution-environment" "$work/ee-definition"
"$build_venv/bin/ansible-builder" create -f "$work/ee-definition/execution-environment.yml" \
    -c "$work/ee-context" --output-filename Containerfile >/dev/null
for expected in "ansible-galaxy collection install" "introspect" "requirements.yml"; do
    if ! grep -rq -- "$expected" "$work/ee-context"; then
        echo "ansible-builder create: the build context does not mention '$expected'" >&2
        exit 1
    fi
done
echo "ansible-builder create: docs/execution-environment/execution-environment.yml is a valid EE definition"

if [ -n "$importer_venv" ]; then
    "$root/tools/galaxy-importer.sh" "$importer_venv" "$artifact"
fi
