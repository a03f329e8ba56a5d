#!/usr/bin/env bash
# Build the collection's HTML documentation into DEST: module pages from the plugins' own docs,
# and the guides listed in docs/docsite/extra-docs.yml, with VENV's antsibull-docs and Sphinx.
set -euo pipefail
venv=${1:?usage: tools/docsite.sh VENV DEST}
dest=${2:?usage: tools/docsite.sh VENV DEST}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=$(cd "$venv" && pwd)
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
collection=$("$root/tools/stage.sh" "$work/tree")
export ANSIBLE_COLLECTIONS_PATH="$work/tree"
export PATH="$venv/bin:$PATH"
# alabaster ships with Sphinx, so the site builds from the pinned venv alone. The generated
# build.sh runs antsibull-docs, then sphinx-build -W (a warning fails the build).
mkdir -m 700 "$work/site"
antsibull-docs sphinx-init --use-current --squash-hierarchy --fail-on-error --sphinx-theme alabaster \
    --dest-dir "$work/site" huaweicloud.cloud >/dev/null
"$venv/bin/python" "$root/tools/docsite_offline_inventories.py" "$work/site"
bash "$work/site/build.sh" >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
rm -rf "$dest/html"
cp -r "$work/site/build/html" "$dest/html"
echo "docsite: $dest/html/index.html (from $collection)"
