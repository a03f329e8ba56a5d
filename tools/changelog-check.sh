#!/usr/bin/env bash
# `make changelog`: lint the fragments and changelogs/changelog.yaml with VENV's antsibull-changelog,
# and check that CHANGELOG.md is what antsibull-changelog generates from changelog.yaml, so a
# release made without regenerating it, or a hand edit, shows here.
set -euo pipefail
venv=${1:?usage: tools/changelog-check.sh VENV}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=$(cd "$venv" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A staged copy under ansible_collections/huaweicloud/cloud: `generate` reads the modules through
# ansible-doc, which loads the tree only as a collection.
collection=$("$root/tools/stage.sh" "$work")
cd "$collection"
export ANSIBLE_COLLECTIONS_PATH="$work" PATH="$venv/bin:$PATH"
antsibull-changelog lint
antsibull-changelog lint-changelog-yaml changelogs/changelog.yaml
antsibull-changelog generate
if ! diff -u "$root/CHANGELOG.md" CHANGELOG.md; then
    echo "CHANGELOG.md is not what 'antsibull-changelog generate' writes from changelogs/changelog.yaml" >&2
    exit 1
fi
