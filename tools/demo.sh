#!/usr/bin/env bash
# `make demo`: start the local DRS emulator with a handful of jobs in mixed states
# (tests/emulator/demo_seed.yml) and run docs/examples/stop_and_delete_jobs.yml against it three
# times: a --check --diff preview, the real run, and a second run that reports ok.
#
# Uses the ansible-core of VENV (default .venv/core2.21, which `make demo` builds first).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
venv=${VENV:-.venv/core2.21}
venv=$(cd "$venv" 2>/dev/null && pwd) || { echo "demo: no virtualenv at ${VENV:-.venv/core2.21}; run 'make demo'" >&2; exit 1; }
python="$venv/bin/python"
seed=tests/emulator/demo_seed.yml
playbook=docs/examples/stop_and_delete_jobs.yml

work=$(mktemp -d)
# shellcheck source=SCRIPTDIR/../tests/emulator/start-emulator.sh
source tests/emulator/start-emulator.sh
start_emulator "$python" "$work" --seed "$seed"
trap 'stop_emulator; rm -rf "$work"' EXIT
url=$EMULATOR_URL

# Ansible loads a collection only from a path ending in ansible_collections/<ns>/<name>.
mkdir -p "$work/collections/ansible_collections/huaweicloud"
ln -s "$root" "$work/collections/ansible_collections/huaweicloud/cloud"

# The job IDs of the seed file, as extra vars for the playbook.
"$python" - "$seed" >"$work/vars.json" <<'EOF'
import json
import sys

import yaml

with open(sys.argv[1], encoding="utf-8") as handle:
    jobs = yaml.safe_load(handle)["jobs"]
print(json.dumps({"drs_job_ids": [job["id"] for job in jobs]}))
EOF

export ANSIBLE_COLLECTIONS_PATH="$work/collections"
export ANSIBLE_LOCALHOST_WARNING=false
export ANSIBLE_RETRY_FILES_ENABLED=false

play() {
    "$venv/bin/ansible-playbook" -i localhost, "$playbook" -e "@$work/vars.json" \
        -e "ansible_python_interpreter=$python" "$@"
}

banner() {
    printf '\n\033[1m=== %s\033[0m\n' "$*"
}

# What the emulator holds, or what reached it since the last look (its log is then cleared).
server_view() {
    PYTHONPATH=tests "$python" - "$url" "$1" <<'EOF'
import collections
import sys

from emulator.client import EmulatorClient

emulator = EmulatorClient(sys.argv[1])
if sys.argv[2] == "requests":
    counts = collections.Counter(entry["endpoint"] for entry in emulator.log())
    print("  requests the emulator received: %s" % (
        ", ".join("%s %d" % item for item in sorted(counts.items())) or "none"))
    emulator.clear_log()
else:
    for job in emulator.jobs():
        print("  %s  %-28s %s" % (job["id"], job["name"], job["status"]))
EOF
}

banner "DRS emulator on $url with these jobs ($seed):"
server_view jobs

banner "1. Preview: ansible-playbook $playbook --check --diff (reads the states, changes nothing)"
play --check --diff
server_view requests

banner "2. The real run: running jobs are stopped, waited for, then every job is deleted"
play
server_view requests
echo "  jobs in the emulator now:"
server_view jobs

banner "3. The same playbook again: every job is gone, nothing is sent, the task is ok"
play
server_view requests
