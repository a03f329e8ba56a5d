# shellcheck shell=bash
# Sourced by tools/demo.sh and the ansible-test integration targets' runme.sh: start the DRS
# emulator of this folder on 127.0.0.1 (port chosen by the system) and export what a play needs
# to reach it, the way an AWX/AAP credential injects it: HW_DRS_ENDPOINT,
# HUAWEICLOUD_SDK_IAM_ENDPOINT, HW_REGION_NAME, HW_PROJECT_ID, HW_ACCESS_KEY, HW_SECRET_KEY
# (the emulator's own values, never real ones), plus EMULATOR_URL. It is stopped on exit.
#
# Usage: start_emulator PYTHON WORKDIR [emulator options such as --seed FILE]

start_emulator() {
    local python=$1 work=$2
    shift 2
    local here
    here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
    PYTHONPATH="$here/.." "$python" -m emulator --port 0 --port-file "$work/port" "$@" >"$work/emulator.out" 2>&1 &
    EMULATOR_PID=$!
    trap stop_emulator EXIT
    for _ in $(seq 100); do
        [ -s "$work/port" ] && break
        if ! kill -0 "$EMULATOR_PID" 2>/dev/null; then
            echo "the emulator did not start:" >&2
            cat "$work/emulator.out" >&2
            return 1
        fi
        sleep 0.1
    done
    [ -s "$work/port" ] || { echo "the emulator did not listen within 10 s" >&2; return 1; }
    EMULATOR_URL="http://127.0.0.1:$(cat "$work/port")"
    export EMULATOR_URL
    eval "$(PYTHONPATH="$here/.." "$python" - "$EMULATOR_URL" <<'PY'
import shlex
import sys

from emulator.client import EmulatorClient

url = sys.argv[1]
identity = EmulatorClient(url).identity
for name, value in (("HW_DRS_ENDPOINT", url), ("HUAWEICLOUD_SDK_IAM_ENDPOINT", url),
                    ("HW_REGION_NAME", identity["region"]), ("HW_PROJECT_ID", identity["project_id"]),
                    ("HW_ACCESS_KEY", identity["access_key"]), ("HW_SECRET_KEY", identity["secret_key"])):
    print("export %s=%s" % (name, shlex.quote(value)))
PY
)"
}

stop_emulator() {
    if [ -n "${EMULATOR_PID:-}" ] && kill -0 "$EMULATOR_PID" 2>/dev/null; then
        kill "$EMULATOR_PID"
        wait "$EMULATOR_PID" 2>/dev/null || true
    fi
}
