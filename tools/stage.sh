#!/usr/bin/env bash
# Copy the checkout's files (tracked plus untracked-but-not-ignored, i.e. what git would commit)
# into DEST/ansible_collections/huaweicloud/cloud and print that path.
#
# ansible-test only runs from a path ending in ansible_collections/<namespace>/<name>, and in a
# bare copy it cannot pick up virtualenvs, caches or the output of other tools by accident.
set -euo pipefail
dest=${1:?usage: tools/stage.sh DEST}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
target="$dest/ansible_collections/huaweicloud/cloud"
mkdir -p "$target"
# --ignore-failed-read: a tracked file deleted in the work tree is simply not copied.
git -C "$root" ls-files -z -co --exclude-standard \
    | tar -C "$root" --null --ignore-failed-read -T - -cf - 2>/dev/null \
    | tar -C "$target" -xf -
echo "$target"
