# shellcheck shell=bash
# Sourced by tools/ee.sh: run plays in the execution environment with ansible-navigator, as AAP
# users do on their laptops (`ansible-navigator run --eei IMAGE --mode stdout`), with a credential
# of the AWX credential type docs/awx_credential_type.yml injected as AWX injects it.
#
# navigator_prepare NAVIGATOR_VENV PYTHON FOLDER IMAGE CONTAINER_OPTION...
#   renders a credential for the emulator at EMULATOR_URL (tests/emulator/start-emulator.sh) into
#   FOLDER/ansible-navigator.yml (tools/navigator_settings.py) and copies docs/examples to
#   FOLDER/project, the folder navigator runs in and mounts into the container.
# navigator_run ARGUMENT...
#   `ansible-navigator run ARGUMENT...` in FOLDER/project with only the credential's variables:
#   the secret ones in its environment (passed through), the others in the settings file.
# navigator_leaks FILE...
#   fails when a secret value of the credential is in FILE, in navigator's log, in the settings
#   file or in what ansible-runner wrote (job events, stdout), and when the folder ansible-runner
#   keeps the job's environment in is readable by others.

navigator_prepare() {
    navigator_bin="$(cd "$1" && pwd)/bin"
    local python=$2
    navigator_folder=$3
    navigator_image=$4
    shift 4
    local root
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    mkdir -p "$navigator_folder/project"
    cp "$root"/docs/examples/*.yml "$navigator_folder/project/"
    # The credential's inputs as a user fills them in for the emulator at EMULATOR_URL (the other
    # fields left empty), on standard input.
    navigator_secret_exports=$(PYTHONPATH="$root/tests" "$python" -c '
import json, sys
from emulator.client import EmulatorClient
identity = EmulatorClient(sys.argv[1]).identity
print(json.dumps({"region": identity["region"], "access_key": identity["access_key"],
                  "secret_key": identity["secret_key"], "project_id": identity["project_id"],
                  "drs_endpoint": sys.argv[1], "iam_endpoint": sys.argv[1]}))' "$EMULATOR_URL" \
        | "$python" "$root/tools/navigator_settings.py" "$root/docs/awx_credential_type.yml" \
            "$navigator_folder" "$@")
}

navigator_run() {
    (
        # The values the credential injects, not the ones start_emulator exported.
        unset "${!HW_@}" "${!HUAWEICLOUD_@}"
        eval "$navigator_secret_exports"
        cd "$navigator_folder/project" || exit
        ANSIBLE_NAVIGATOR_CONFIG="$navigator_folder/ansible-navigator.yml" "$navigator_bin/ansible-navigator" run \
            --eei "$navigator_image" --mode stdout --pull-policy never "$@" </dev/null
    )
}

navigator_leaks() {
    local name value checked=0 found=0
    while IFS= read -r name; do
        value=$(eval "$navigator_secret_exports"; printf '%s' "${!name}")
        [ -n "$value" ] || continue
        checked=$((checked + 1))
        # ansible-runner keeps the job's environment in its artifact folder by design (env.list,
        # podman's --env-file, and command): the folder is private to its owner (0700).
        if grep -rlsF --exclude=env.list --exclude=command -- "$value" "$@" "$navigator_folder/ansible-navigator.log" \
            "$navigator_folder/runner" "$navigator_folder/project" "$navigator_folder/ansible-navigator.yml" >&2; then
            echo "the value of $name is in the files above" >&2
            found=1
        fi
    done < <(sed -nE 's/^export ([A-Za-z0-9_]+)=.*/\1/p' <<<"$navigator_secret_exports")
    [ "$checked" -gt 0 ] || { echo "the credential has no secret value to look for" >&2; return 1; }
    if [ -n "$(find "$navigator_folder/runner/artifacts" -mindepth 1 -maxdepth 1 -type d -perm /077)" ]; then
        echo "ansible-runner's artifact folders are readable by others" >&2
        found=1
    fi
    [ "$found" = 0 ]
}
