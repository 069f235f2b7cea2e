#!/usr/bin/env bash
# The PC/SC suite, run by `cargo xtask test` inside a private network namespace (`unshare -n`), so that
# vpcd's port (it binds every interface) never leaves this machine:
#   1. pcscd starts with the vpcd driver (Debian's vsmartcard-vpcd: readers "Virtual PCD 00 00/01");
#   2. the Rust tests of reader/tests/pcscd.rs serve demo cards to vpcd and authenticate through pcscd,
#      then those of any further test binaries (the reader bridge's, server/tests/bridge_pcscd.rs);
#   3. OpenSC — an independent JPKI client — recognises the demo card, lists its certificates and PINs,
#      signs through PKCS#11 with the PIN, and OpenSSL verifies that signature with the card's certificate.
# Usage: pcsc-suite.sh <pcscd test binary> <onshi-virtual-card binary> [<more test binaries>...]
set -uo pipefail
TESTS=$1
CARD_BIN=$2
shift 2
WORK=$(mktemp -d)
ip link set lo up 2>/dev/null || true

if [ -S /run/pcscd/pcscd.comm ] && pgrep -x pcscd >/dev/null; then
  echo "pcsc suite: another pcscd is running; stop it first (only one can run)"
  exit 1
fi
pcscd --foreground >"$WORK/pcscd.log" 2>&1 &
PCSCD=$!
CARD=
cleanup() {
  [ -n "$CARD" ] && kill "$CARD" 2>/dev/null
  kill "$PCSCD" 2>/dev/null
  wait "$PCSCD" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
for _ in $(seq 1 200); do [ -S /run/pcscd/pcscd.comm ] && break; sleep 0.05; done

RUST=0
for tests in "$TESTS" "$@"; do
  "$tests" --ignored --test-threads=1 --nocapture || RUST=1
done

# OpenSC conformance against demo card 0 (PIN 1234).
passed=0; failed=0
check() { # name, then the command
  local name=$1; shift
  if "$@" >"$WORK/out" 2>&1; then passed=$((passed + 1)); echo "opensc: $name ... ok"
  else failed=$((failed + 1)); echo "opensc: $name ... FAILED"; sed 's/^/    /' "$WORK/out" | head -20; fi
}
"$CARD_BIN" --card 0 --date 20261121 2>"$WORK/card.log" &
CARD=$!
grep -q "connected to vpcd" "$WORK/card.log" 2>/dev/null || for _ in $(seq 1 200); do
  grep -q "connected to vpcd" "$WORK/card.log" 2>/dev/null && break; sleep 0.05; done
# pcscd polls vpcd every 400 ms and may still report the previous test's card for one poll.
sleep 1
M=/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so
printf 'onshi conformance' >"$WORK/msg"
check "the ATR is the card's" bash -c "opensc-tool -r 0 -a | grep -qi '3b:e0:00:ff:81:31:fe:45:14'"
check "OpenSC names the card jpki" bash -c "opensc-tool -r 0 -n | grep -qx jpki"
check "pkcs15-tool lists the user-authentication certificate" bash -c \
  "pkcs15-tool -r 0 --list-certificates | grep -q 'User Authentication Certificate'"
check "pkcs15-tool reads 3 tries left" bash -c "pkcs15-tool -r 0 --list-pins | grep -q 'Tries left     : 3'"
check "the certificate read by OpenSC is X.509 from the TEST root" bash -c \
  "pkcs15-tool -r 0 --read-certificate 01 >'$WORK/cert.pem' && openssl x509 -in '$WORK/cert.pem' -noout -issuer | grep -q 'O = JPKI-TEST'"
check "a wrong PIN is refused through PKCS#11" bash -c \
  "! pkcs11-tool --module $M --login --pin 9999 --sign --mechanism SHA256-RSA-PKCS --id 01 -i '$WORK/msg' -o '$WORK/bad' 2>&1 | tee /dev/stderr | grep -q 'Using signature algorithm' ; pkcs15-tool -r 0 --list-pins | grep -q 'Tries left     : 2'"
check "PKCS#11 signs with the PIN and OpenSSL verifies it" bash -c \
  "pkcs11-tool --module $M --login --pin 1234 --sign --mechanism SHA256-RSA-PKCS --id 01 -i '$WORK/msg' -o '$WORK/sig' && openssl x509 -in '$WORK/cert.pem' -pubkey -noout >'$WORK/pub.pem' && openssl dgst -sha256 -verify '$WORK/pub.pem' -signature '$WORK/sig' '$WORK/msg'"
echo "opensc conformance: $passed passed, $failed failed"
[ "$RUST" -eq 0 ] && [ "$failed" -eq 0 ]
