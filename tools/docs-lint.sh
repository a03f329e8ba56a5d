#!/usr/bin/env bash
# Lint the collection's docs (changelog, docsite, and with --plugin-docs every plugin's
# documentation as ansible-doc loads it) with VENV's antsibull-docs and ansible-core.
set -euo pipefail
venv=${1:?usage: tools/docs-lint.sh VENV}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=$(cd "$venv" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A staged copy under ansible_collections/huaweicloud/cloud, so ansible-doc loads the tree as the
# collection it is.
collection=$("$root/tools/stage.sh" "$work")
PATH="$venv/bin:$PATH" "$venv/bin/antsibull-docs" lint-collection-docs --plugin-docs "$collection"
