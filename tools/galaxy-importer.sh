#!/usr/bin/env bash
# Run galaxy-importer, the check Galaxy and Automation Hub run on every upload, on a built
# collection artifact, with tools/galaxy-importer.cfg (every check that needs no container). It
# loads the plugins' documentation with ansible-doc, lints the artifact with ansible-lint and
# validates galaxy.yml's metadata. Fails when the import fails, when it prints any WARNING or
# ERROR line (a lint finding, a documentation problem, a missing changelog...) or anything on
# stderr, or when a module's documentation did not reach the import result.
# Usage: tools/galaxy-importer.sh IMPORTER_VENV ARTIFACT
set -euo pipefail
venv=${1:?usage: tools/galaxy-importer.sh IMPORTER_VENV ARTIFACT}
artifact=${2:?usage: tools/galaxy-importer.sh IMPORTER_VENV ARTIFACT}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=$(cd "$venv" && pwd)
artifact=$(cd "$(dirname "$artifact")" && pwd)/$(basename "$artifact")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/ansible-tmp"

echo "galaxy-importer $artifact"
# The importer finds ansible-doc and ansible-lint on PATH: its own venv's, with its own
# ansible-core. Its temporary files and ansible's stay in the work folder, and so does the
# importer_result.json it writes into the current folder.
status=0
(cd "$work" && env PATH="$venv/bin:$PATH" GALAXY_IMPORTER_CONFIG="$root/tools/galaxy-importer.cfg" \
    GALAXY_IMPORTER_TMP_ROOT_DIR="$work" GALAXY_IMPORTER_ANSIBLE_LOCAL_TMP="$work/ansible-tmp" \
    "$venv/bin/python" -m galaxy_importer.main "$artifact" >"$work/out.txt" 2>"$work/err.txt") || status=$?
grep -vE '^(Loading|Linting) ' "$work/out.txt" || true

problems=$(grep -E '^(WARNING|ERROR|CRITICAL):' "$work/out.txt" || true)
if [ "$status" -ne 0 ] || [ -n "$problems" ] || [ -s "$work/err.txt" ]; then
    cat "$work/err.txt" >&2
    echo "galaxy-importer: FAILED (exit status $status, $(grep -c . <<<"$problems") warnings or errors)" >&2
    exit 1
fi

# What the import result holds: each module with the documentation ansible-doc gave for it.
modules=()
for path in "$root"/plugins/modules/*.py; do
    name=$(basename "$path" .py)
    [ -e "$path" ] && [ "$name" != __init__ ] && modules+=("$name")
done
"$venv/bin/python" - "$work/importer_result.json" "${modules[@]}" <<'PY'
import json
import sys

result = json.load(open(sys.argv[1], encoding="utf-8"))
documented = {item["content_name"] for item in result["docs_blob"]["contents"]
              if item["content_type"] == "module" and (item["doc_strings"] or {}).get("doc", {}).get("short_description")}
missing = sorted(set(sys.argv[2:]) - documented)
if missing:
    sys.exit("galaxy-importer: no documentation in the import result for " + ", ".join(missing))
print("galaxy-importer: passed, documentation imported for %d modules" % len(sys.argv[2:]))
PY
