#!/usr/bin/env bash
# ansible-lint (production profile) on the collection and its example playbooks, with VENV's
# ansible-lint and ansible-core.
#
# ansible-lint does not put the checkout on the collections path by itself, so the examples'
# huaweicloud.cloud.* tasks would not resolve; a temporary ansible_collections/huaweicloud/cloud
# symlink to the checkout provides it.
set -euo pipefail
venv=${1:?usage: tools/lint.sh VENV}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=$(cd "$venv" && pwd)
collections=$(mktemp -d)
trap 'rm -rf "$collections"' EXIT
mkdir -p "$collections/ansible_collections/huaweicloud"
ln -s "$root" "$collections/ansible_collections/huaweicloud/cloud"
cd "$root"
# --offline: nothing to fetch from Galaxy; the collection has no dependencies.
ANSIBLE_COLLECTIONS_PATH="$collections" PATH="$venv/bin:$PATH" \
    "$venv/bin/ansible-lint" --offline --profile production
