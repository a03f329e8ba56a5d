#!/usr/bin/env bash
# Start the DRS emulator on 127.0.0.1, then run this target's plays against it (the way
# kubernetes.core's runme.sh targets and community.hashi_vault's setup_localenv_* targets bring
# up their local servers). Credentials and endpoints reach the plays as environment variables,
# as an AWX/AAP credential injects them.
set -eu
# shellcheck source=SCRIPTDIR/../setup_emulator/emulator.sh
source ../setup_emulator/emulator.sh
ansible-playbook -i localhost, -e "ansible_python_interpreter=${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}" main.yml "$@"
