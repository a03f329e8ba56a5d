#!/usr/bin/env bash
# `make ee`: build the collection tarball, an AWX/AAP execution environment (EE) image from the
# example definition docs/execution-environment/execution-environment.yml (ansible-builder 3,
# schema 3) with the collection installed from that tarball and its Python requirements taken
# from the collection's own metadata, then inside the image run ansible-doc of every module and
# `make demo`'s three plays (check + diff, real run, second run) against the emulator on the
# host, with the credentials injected as environment variables the way the AWX credential type
# does. It asserts the plays' outcomes and the emulator's final job states. With NAVIGATOR_VENV,
# ansible-navigator (tools/ee-navigator.sh) runs in the image, with every variable of the AWX
# credential type injected: a read-only play at -vvv whose requests must all be signed with the
# credential's key, then the same three plays with the same assertions; no secret may show in
# what navigator printed, logged or left in ansible-runner's job events.
#
# EE_BASE_IMAGE: a standard EE base image (from a registry) to build on. Unset, a Debian base is
# built here without any registry (tools/ee-local-base.sh, which says why each step is needed).
# Usage: tools/ee.sh VENV [NAVIGATOR_VENV] (VENV with ansible-builder and ansible-core)
set -euo pipefail
venv=${1:?usage: tools/ee.sh VENV [NAVIGATOR_VENV]}
navigator_venv=${2:-}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=$(cd "$venv" && pwd)
python="$venv/bin/python"
image=localhost/huaweicloud-ee:test
work=$(mktemp -d)
step="start"
on_exit() {
    local status=$?
    [ "$status" -eq 0 ] || echo "make ee: FAILED at step: $step" >&2
    stop_emulator 2>/dev/null || true
    rm -rf "$work"
}
trap on_exit EXIT
say() { step=$1; echo "=== ee: $1 (at ${SECONDS} s)"; }

builder_options='{}'
build_cli_args=''
run_args=()
if [ -z "${EE_BASE_IMAGE:-}" ]; then
    # shellcheck source=SCRIPTDIR/ee-local-base.sh
    source "$root/tools/ee-local-base.sh"
    say "install podman, debootstrap and runc (Debian packages), create /dev/mqueue"
    ee_install_tools
    say "build a Debian base image without a registry"
    ee_build_local_base "$work"
    base_image=$EE_LOCAL_BASE
    builder_options=$EE_BUILDER_OPTIONS
    build_cli_args=$EE_BUILD_CLI_ARGS
    run_args=("${EE_RUN_ARGS[@]}")
else
    command -v podman >/dev/null || { step="podman"; echo "podman is needed" >&2; exit 1; }
    base_image=$EE_BASE_IMAGE
fi

say "build the collection tarball"
"$venv/bin/ansible-galaxy" collection build "$root" --output-path "$work/context-files" >/dev/null
tarball=$(basename "$(ls "$work"/context-files/huaweicloud-cloud-*.tar.gz)")

say "write the EE definition (the documented one, with the tarball and this build's base image)"
mkdir -p "$work/ee"
"$python" - "$root/docs/execution-environment/execution-environment.yml" "$work/ee" "$tarball" "$base_image" \
    "$builder_options" <<'PY'
import json
import sys

import yaml

source, folder, tarball, base_image, options = sys.argv[1:]
definition = yaml.safe_load(open(source, encoding="utf-8"))
definition["images"]["base_image"]["name"] = base_image
definition["options"] = dict(definition.get("options") or {}, **json.loads(options))
definition["additional_build_files"] = [{"src": "../context-files/" + tarball, "dest": "collections"}]
definition["dependencies"]["galaxy"] = "requirements.yml"
with open(folder + "/execution-environment.yml", "w", encoding="utf-8") as handle:
    yaml.safe_dump(definition, handle, sort_keys=False)
requirements = {"collections": [{"name": "/build/collections/" + tarball, "type": "file"}]}
with open(folder + "/requirements.yml", "w", encoding="utf-8") as handle:
    yaml.safe_dump(requirements, handle)
PY

say "ansible-builder build"
start=$SECONDS
(cd "$work/ee" && "$venv/bin/ansible-builder" build -f execution-environment.yml -t "$image" \
    --container-runtime podman ${build_cli_args:+--extra-build-cli-args "$build_cli_args"} -v 1 \
    >"$work/build.log" 2>&1) || { tail -40 "$work/build.log" >&2; exit 1; }
echo "image $image built in $((SECONDS - start)) s, $(podman image inspect "$image" --format '{{.Size}}' | awk '{printf "%d MB", $1/1000000}')"

in_image() { podman run --rm --network host "${run_args[@]}" "$@"; }

say "ansible-doc of every module inside the image"
for path in "$root"/plugins/modules/*.py; do
    module="huaweicloud.cloud.$(basename "$path" .py)"
    in_image "$image" ansible-doc -t module "$module" >/dev/null
    echo "ansible-doc $module: ok"
done
in_image "$image" python3 -c 'import requests; print("requests", requests.__version__, "in the image")'

say "start the emulator on the host"
# shellcheck source=SCRIPTDIR/../tests/emulator/start-emulator.sh
source "$root/tests/emulator/start-emulator.sh"
start_emulator "$python" "$work" --seed "$root/tests/emulator/demo_seed.yml"
trap on_exit EXIT  # start_emulator set its own
ids=$("$python" -c 'import json, sys, yaml; print(json.dumps({"drs_job_ids": [j["id"] for j in yaml.safe_load(open(sys.argv[1]))["jobs"]]}))' \
    "$root/tests/emulator/demo_seed.yml")
echo "$ids" >"$work/vars.json"

podman_play() {
    in_image -v "$root/docs/examples:/runner/project:ro" -v "$work/vars.json:/runner/vars.json:ro" \
        -e HW_DRS_ENDPOINT -e HUAWEICLOUD_SDK_IAM_ENDPOINT -e HW_REGION_NAME -e HW_PROJECT_ID \
        -e HW_ACCESS_KEY -e HW_SECRET_KEY -e ANSIBLE_LOCALHOST_WARNING=false \
        "$image" ansible-playbook -i localhost, /runner/project/stop_and_delete_jobs.yml -e @/runner/vars.json "$@"
}
recap_changed() { grep -E 'localhost +: ok=' "$1" | sed -E 's/.*changed=([0-9]+).*/\1/'; }
emulator() { PYTHONPATH="$root/tests" "$python" -c "
import json, sys, yaml
from emulator.client import EmulatorClient
emulator = EmulatorClient(sys.argv[1])
$1" "$EMULATOR_URL" "$root/tests/emulator/demo_seed.yml"; }
mutating() { emulator 'print(len(emulator.log("batch-jobs")))'; }

# `make demo`'s three plays through PLAY (a function that runs stop_and_delete_jobs.yml with the
# arguments it is given and the demo's job IDs), against the emulator holding the demo's jobs.
demo_plays() {
    local play=$1 name=$2
    say "$name, play 1 of 3: --check --diff"
    "$play" --check --diff >"$work/$play-1.out" || { cat "$work/$play-1.out" >&2; exit 1; }
    [ "$(mutating)" = 0 ] || { echo "check mode sent a batch-jobs request" >&2; exit 1; }
    [ "$(recap_changed "$work/$play-1.out")" -ge 1 ] || { cat "$work/$play-1.out" >&2; exit 1; }

    say "$name, play 2 of 3: the real run"
    "$play" >"$work/$play-2.out" || { cat "$work/$play-2.out" >&2; exit 1; }
    [ "$(recap_changed "$work/$play-2.out")" = 1 ] || { cat "$work/$play-2.out" >&2; exit 1; }

    say "$name, play 3 of 3: the second run is ok"
    "$play" >"$work/$play-3.out" || { cat "$work/$play-3.out" >&2; exit 1; }
    [ "$(recap_changed "$work/$play-3.out")" = 0 ] || { cat "$work/$play-3.out" >&2; exit 1; }

    say "$name: the emulator's final job states"
    emulator '
left = [job for job in emulator.jobs() if job["status"] != "DELETED"]
if left:
    sys.exit("jobs not deleted: %r" % left)
print("every job deleted")'
}

demo_plays podman_play "podman run"

if [ -n "$navigator_venv" ]; then
    say "ansible-navigator: settings with the credential type's injected variables"
    # shellcheck source=SCRIPTDIR/ee-navigator.sh
    source "$root/tools/ee-navigator.sh"
    # --network host for the emulator on the host's loopback, then this machine's run options.
    navigator_prepare "$navigator_venv" "$python" "$work/navigator" "$image" --network=host "${run_args[@]}"
    cp "$work/vars.json" "$work/navigator/project/"
    emulator '
seed = yaml.safe_load(open(sys.argv[2]))
emulator.reset()
emulator.config(**seed["config"])
emulator.seed(seed["jobs"])'
    cat >"$work/navigator/project/credential_check.yml" <<'YAML'
- name: Read the demo's jobs with nothing but the credential's injected variables
  hosts: localhost
  connection: local
  gather_facts: false
  vars:
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
  tasks:
    - name: Read the jobs
      huaweicloud.cloud.drs_job_info:
        job_ids: "{{ drs_job_ids }}"
      register: found
    - name: Every job was found
      ansible.builtin.assert:
        that:
          - found.jobs | map(attribute='id') | sort == drs_job_ids | sort
          - found.missing == []
YAML
    say "ansible-navigator: the credential's variables reach the modules (-vvv)"
    navigator_run credential_check.yml -i localhost, -e @vars.json -vvv >"$work/navigator-vvv.out" 2>&1 \
        || { cat "$work/navigator-vvv.out" >&2; exit 1; }
    emulator '
log, project_id = emulator.log(), emulator.identity["project_id"]
if not log or any(entry["auth"] != "aksk" or project_id not in entry["path"] for entry in log):
    sys.exit("not every request was signed with the access key and sent to the project: %r" % log)
print("%d request(s), signed with the access key, to the injected project" % len(log))
emulator.clear_log()'

    navigator_play() { navigator_run stop_and_delete_jobs.yml -i localhost, -e @vars.json "$@"; }
    demo_plays navigator_play "ansible-navigator run"

    say "ansible-navigator: no secret in its output, log, runner artifacts or settings"
    navigator_leaks "$work"/navigator_play-*.out "$work/navigator-vvv.out"
fi
step="done"
echo "make ee: passed"
