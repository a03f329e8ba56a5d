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
emulator_pid=
stop_emulator() {
    if [ -n "$emulator_pid" ] && kill -0 "$emulator_pid" 2>/dev/null; then
        kill "$emulator_pid"
        wait "$emulator_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap stop_emulator EXIT

# Ansible loads a collection only from a path ending in ansible_collections/<ns>/<name>.
mkdir -p "$work/collections/ansible_collections/huaweicloud"
ln -s "$root" "$work/collections/ansible_collections/huaweicloud/cloud"

PYTHONPATH=tests "$python" -m emulator --port 0 --seed "$seed" --port-file "$work/port" >"$work/emulator.out" 2>&1 &
emulator_pid=$!
for _ in $(seq 100); do
    [ -s "$work/port" ] && break
    if ! kill -0 "$emulator_pid" 2>/dev/null; then
        echo "demo: the emulator did not start:" >&2
        cat "$work/emulator.out" >&2
        exit 1
    fi
    sleep 0.1
done
[ -s "$work/port" ] || { echo "demo: the emulator did not listen within 10 s" >&2; exit 1; }
url="http://127.0.0.1:$(cat "$work/port")"

# Credentials and endpoints as environment variables, the way an AWX/AAP credential injects
# them; the values are the emulator's (its control API tells them), never real ones.
eval "$(PYTHONPATH=tests "$python" - "$url" <<'EOF'
import shlex
import sys

from emulator.client import EmulatorClient

url = sys.argv[1]
identity = EmulatorClient(url).identity
for name, value in (("HW_DRS_ENDPOINT", url), ("HUAWEICLOUD_SDK_IAM_ENDPOINT", url),
                    ("HW_REGION_NAME", identity["region"]), ("HW_PROJECT_ID", identity["project_id"]),
                    ("HW_ACCESS_KEY", identity["access_key"]), ("HW_SECRET_KEY", identity["secret_key"])):
    print("export %s=%s" % (name, shlex.quote(value)))
EOF
)"

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
