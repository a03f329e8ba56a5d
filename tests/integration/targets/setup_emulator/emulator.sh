# shellcheck shell=bash
# Sourced by the targets' runme.sh: find the emulator in the collection under test, start it and
# export its endpoints and credentials. ansible-test runs the targets from a copy of
# tests/integration and points ANSIBLE_COLLECTIONS_PATH at the collection, which holds the emulator.
python=${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}
emulator_dir=
IFS=: read -ra collection_paths <<<"${ANSIBLE_COLLECTIONS_PATH:-}"
for path in "${collection_paths[@]}"; do
    if [ -d "$path/ansible_collections/huaweicloud/cloud/tests/emulator" ]; then
        emulator_dir="$path/ansible_collections/huaweicloud/cloud/tests/emulator"
        break
    fi
done
[ -n "$emulator_dir" ] || { echo "huaweicloud.cloud's tests/emulator not found in ANSIBLE_COLLECTIONS_PATH" >&2; exit 1; }
emulator_work=$(mktemp -d)
# shellcheck source=SCRIPTDIR/../../../emulator/start-emulator.sh
source "$emulator_dir/start-emulator.sh"
start_emulator "$python" "$emulator_work"
trap 'stop_emulator; rm -rf "$emulator_work"' EXIT
export ANSIBLE_ROLES_PATH=..
