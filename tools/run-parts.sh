#!/usr/bin/env bash
# Run each make TARGET (with -k, so one failure does not hide the next), even after one failed,
# then list the ones that failed and exit non-zero if any did. `make test` and `make matrix`.
# Usage: tools/run-parts.sh MAKE NAME TARGET...
set -uo pipefail
make=${1:?usage: tools/run-parts.sh MAKE NAME TARGET...}
name=${2:?usage: tools/run-parts.sh MAKE NAME TARGET...}
shift 2
failed=()
for part in "$@"; do
    echo "=== make $part"
    start=$SECONDS
    if "$make" --no-print-directory -k "$part"; then
        echo "=== $part: passed ($((SECONDS - start)) s)"
    else
        echo "=== $part: FAILED ($((SECONDS - start)) s)"
        failed+=("$part")
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "$name: FAILED: ${failed[*]}"
    exit 1
fi
echo "$name: all parts passed ($*)"
