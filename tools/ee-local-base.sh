# shellcheck shell=bash
# Sourced by tools/ee.sh when EE_BASE_IMAGE is not set: what this kind of machine needs to build
# and run an execution environment without any container registry. With a registry, set
# EE_BASE_IMAGE to a standard EE base image instead and none of this is used.
#
# Why each step (checked on this kind of machine):
# - podman, debootstrap and runc come from Debian's packages; no registry is reachable, so the base
#   image is a Debian bookworm made by debootstrap from the mirror apt already uses, imported into
#   podman (python3, pip and git are what ansible-builder needs in it).
# - The machine's extra CA certificates go into the image: pip inside the build reaches PyPI only
#   through the machine's proxy, which they sign.
# - Debian's python3 has ensurepip disabled and uses apt-get: ansible-builder is told so
#   (package_manager_path, skip_pip_install); it sets PIP_BREAK_SYSTEM_PACKAGES itself.
# - Builds run with --isolation chroot, and containers with runc (crun cannot set podman's default
#   rlimits here and refuses hybrid cgroups) and explicit rlimits.
# - ansible-runner starts containers with --ipc=host, and ansible-navigator will not start one
#   with podman without a /dev/mqueue folder, which this machine lacks: it is created.

# shellcheck disable=SC2034  # the settings below are read by tools/ee.sh
EE_LOCAL_BASE=localhost/huaweicloud-ee-base:bookworm
EE_BUILDER_OPTIONS='{"package_manager_path": "/usr/bin/apt-get", "skip_pip_install": true}'
EE_BUILD_CLI_ARGS='--isolation chroot'
EE_RUN_ARGS=(--runtime runc --ulimit nofile=20000:20000 --ulimit nproc=20000:20000)

ee_install_tools() {
    local missing=() as_root=()
    [ "$(id -u)" -eq 0 ] || as_root=(sudo)
    [ -d /dev/mqueue ] || "${as_root[@]}" mkdir /dev/mqueue
    command -v podman >/dev/null || missing+=(podman)
    command -v debootstrap >/dev/null || missing+=(debootstrap)
    command -v runc >/dev/null || missing+=(runc)
    [ ${#missing[@]} -eq 0 ] && return 0
    "${as_root[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
}

ee_debian_mirror() {
    # The Debian mirror apt uses (deb822 sources first, then the one-line format).
    local mirror
    mirror=$(grep -hs '^URIs:' /etc/apt/sources.list.d/debian.sources | awk '{print $2}' | head -1)
    [ -n "$mirror" ] || mirror=$(grep -hs '^deb .*debian' /etc/apt/sources.list | awk '{print $2}' | head -1)
    [ -n "$mirror" ] || return 1
    echo "$mirror"
}

ee_build_local_base() {
    local work=$1
    if podman image exists "$EE_LOCAL_BASE"; then
        return 0
    fi
    local mirror rootfs="$work/rootfs"
    mirror=$(ee_debian_mirror) || { echo "no Debian mirror found in apt's sources" >&2; return 1; }
    debootstrap --variant=minbase --include=python3,python3-pip,python3-venv,ca-certificates,git \
        bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
        || { tail -20 "$work/debootstrap.log" >&2; return 1; }
    if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
        cp /usr/local/share/ca-certificates/*.crt "$rootfs/usr/local/share/ca-certificates/"
        chroot "$rootfs" update-ca-certificates >/dev/null
    fi
    tar -C "$rootfs" -c . | podman import --change 'CMD ["/bin/bash"]' - "$EE_LOCAL_BASE" >/dev/null
    rm -rf "$rootfs"
}
