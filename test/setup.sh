#!/usr/bin/env bash
# Installs the independent tools the tests check rendered artifacts with (../shared/DESIGN.md):
# Debian packages, installed only when missing, so running it again is cheap.
set -euo pipefail

# command the tests run -> Debian package that provides it
declare -A PACKAGE_OF=(
  [buildah]=buildah
  [skopeo]=skopeo
  [docker-compose]=docker-compose
  [docker-registry]=docker-registry
  [busybox]=busybox-static
  [lua5.1]=lua5.1
  [luarocks]=luarocks
  [luajit]=luajit
  [luacheck]=lua-check
  [zip]=zip
  [unzip]=unzip
  [openssl]=openssl
)

missing=()
for command in "${!PACKAGE_OF[@]}"; do
  command -v "$command" >/dev/null 2>&1 || missing+=("${PACKAGE_OF[$command]}")
done
# libsodium's NaCl for Python, which encrypts a cosign.key independently of the project's own code
# (test/artifact/signing-key.test.ts); checked with Debian's python3, the one its packages serve.
/usr/bin/python3 -c "import nacl.secret" >/dev/null 2>&1 || missing+=(python3-nacl)

# kubectl (for `kubectl kustomize`) comes with this machine's image, not from a Debian
# package this machine can reach; say so rather than fail later in a test.
if ! command -v kubectl >/dev/null 2>&1; then
  echo "setup: kubectl is missing; install it from https://kubernetes.io/docs/tasks/tools/ (the Kubernetes tests run 'kubectl kustomize')" >&2
  exit 1
fi

if [ "${#missing[@]}" -eq 0 ]; then
  echo "setup: all test tools present"
  exit 0
fi

# Sorted so the install line is the same on every machine.
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
echo "setup: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    echo "setup: run as root, or install: apt-get install --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
else
  SUDO=
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
