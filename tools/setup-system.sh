#!/usr/bin/env bash
# Install the Debian packages the checks need and pip cannot provide, when they are missing:
# the ShellCheck linter, for ansible-test sanity's shellcheck test (a sanity run that skips it fails),
# and a Java 17 runtime, which ansible-rulebook (make eda) runs its rule engine on.
# Runs apt-get as root, or through sudo for a developer who is not root.
set -euo pipefail
missing=()
command -v shellcheck >/dev/null || missing+=(shellcheck)
compgen -G "/usr/lib/jvm/java-17-openjdk-*/bin/java" >/dev/null || missing+=(openjdk-17-jre-headless)
[ ${#missing[@]} -eq 0 ] && exit 0
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
echo "installing ${missing[*]} (Debian packages)"
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
