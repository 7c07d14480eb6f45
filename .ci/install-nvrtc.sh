#!/usr/bin/env bash
# Installs NVRTC (the CUDA run-time compiler) so the NVRTC compile tests run instead of skipping.
# Debian 12 ships it as libnvrtc11.2 (CUDA 11.8's NVRTC, provides libnvrtc.so.11.2) in the non-free component.
# Idempotent; never fails CI: on any problem it prints a warning and exits 0 (the tests then skip with a reason).
set -u

warn() { echo "install-nvrtc: WARNING: $*" >&2; exit 0; }
say() { echo "install-nvrtc: $*" >&2; }

if ldconfig -p 2>/dev/null | grep -Eq 'libnvrtc\.so(\.[0-9.]+)? '; then
    say "NVRTC already present: $(ldconfig -p | grep -Eo 'libnvrtc\.so[0-9.]*' | sort -u | tr '\n' ' ')"
    exit 0
fi

[ -r /etc/os-release ] || warn "no /etc/os-release; not a Debian system, skipping"
# shellcheck disable=SC1091
. /etc/os-release
[ "${ID:-}" = debian ] || warn "not Debian (ID=${ID:-unknown}); install NVRTC from your distribution or CUDA"
codename="${VERSION_CODENAME:-}"
[ -n "$codename" ] || warn "cannot tell the Debian release"

if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        warn "not root and no password-less sudo; cannot install libnvrtc"
    fi
else
    SUDO=""
fi

# Add non-free beside the system's own sources (a separate file, so nothing the admin wrote is edited). The mirror
# is taken from the existing sources so a local mirror keeps being used.
src=/etc/apt/sources.list.d/nasbench-non-free.sources
# "non-free" as a whole component, not "non-free-firmware" (which bookworm installs by default).
if [ ! -e "$src" ] && ! grep -RqsE '^(Components:|deb ).*[[:space:]]non-free([[:space:]]|$)' \
    /etc/apt/sources.list /etc/apt/sources.list.d/; then
    mirror=$(grep -Rhs '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' \
        | grep -v security | head -n1)
    [ -n "$mirror" ] || mirror=$(grep -hs '^deb ' /etc/apt/sources.list | awk '{print $2}' | grep -v security \
        | head -n1)
    [ -n "$mirror" ] || mirror=http://deb.debian.org/debian
    keyring=/usr/share/keyrings/debian-archive-keyring.gpg
    say "adding $codename non-free from $mirror"
    {
        echo "Types: deb"
        echo "URIs: $mirror"
        echo "Suites: $codename $codename-updates"
        echo "Components: non-free"
        [ -r "$keyring" ] && echo "Signed-By: $keyring"
    } | $SUDO tee "$src" >/dev/null || warn "cannot write $src"
fi

export DEBIAN_FRONTEND=noninteractive
# Another apt may hold the locks (a parallel install): wait for it rather than kill it.
APT_WAIT=(-o DPkg::Lock::Timeout=900)
updated=0
for attempt in 1 2 3 4 5; do
    if $SUDO apt-get "${APT_WAIT[@]}" update -qq; then
        updated=1
        break
    fi
    say "apt-get update failed (attempt $attempt), retrying in 20 s"
    sleep 20
done
[ "$updated" = 1 ] || warn "apt-get update failed"

pkg=$(apt-cache search --names-only '^libnvrtc[0-9.]+$' 2>/dev/null | awk '{print $1}' | sort -V | tail -n1)
[ -n "$pkg" ] || warn "no libnvrtc package in the configured sources"
say "installing $pkg"
$SUDO apt-get "${APT_WAIT[@]}" install -y -qq --no-install-recommends "$pkg" >/dev/null \
    || warn "apt-get install $pkg failed"

if ldconfig -p | grep -q 'libnvrtc\.so'; then
    say "installed: $(ldconfig -p | grep -Eo 'libnvrtc\.so[0-9.]*' | sort -u | tr '\n' ' ')"
else
    warn "$pkg installed but no libnvrtc.so is on the loader path"
fi
exit 0
