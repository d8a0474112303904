#!/usr/bin/env bash
# Installs the system packages the integration tests need, only those missing, on Debian bookworm:
#   dovecot-imapd  real IMAP server for test/helpers/dovecot.ts (test instances use their own ports)
#   chromium       browser for the page tests (playwright-core drives the system binary)
#   fonts-dejavu-core  a font with Latvian diacritics for page screenshots
#   redis-server   BullMQ's Redis, unless a redis-server is already on PATH
# Run as root. Idempotent: when everything is present it prints nothing and touches nothing.
set -euo pipefail

if [[ $(id -u) -ne 0 ]]; then
  echo "install-system-deps: must run as root" >&2
  exit 1
fi

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

missing=()
installed dovecot-imapd || missing+=(dovecot-imapd)
installed chromium || command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# Latvian diacritics in page screenshots need a font with them.
installed fonts-dejavu-core || missing+=(fonts-dejavu-core)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

log=$(mktemp /tmp/install-system-deps.XXXXXX.log)
trap 'rm -f "$log"' EXIT
run() {
  if ! "$@" >>"$log" 2>&1; then
    echo "install-system-deps: failed: $*" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
}

export DEBIAN_FRONTEND=noninteractive
run apt-get update -qq
run apt-get install -y -qq --no-install-recommends "${missing[@]}"

for pkg in "${missing[@]}"; do
  echo "installed $pkg $(dpkg-query -W -f='${Version}' "$pkg")"
done

if [[ " ${missing[*]} " == *" dovecot-imapd "* ]]; then
  # The package may start a system Dovecot on port 143. Tests never use it; stop it to be tidy.
  service dovecot stop >/dev/null 2>&1 || true
fi
