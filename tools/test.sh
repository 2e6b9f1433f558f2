#!/usr/bin/env bash
# The test command: builds ctrnet and runs every test, the privileged ones inside throwaway network
# namespaces (see tools/sandbox-java). Fails if the machine's own network namespace changed.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "ctrnet: the tests create namespaces, links and rules: run them as root" >&2; exit 1; }
tools/install-deps.sh
before=$(mktemp); after=$(mktemp)
trap 'rm -f "$before" "$after"' EXIT
tools/root-netns-snapshot.sh >"$before"
status=0
mvn -B -ntp install "$@" || status=$?
tools/root-netns-snapshot.sh >"$after"
if ! diff -u "$before" "$after"; then
  echo "FAILED: the tests changed the machine's own network namespace (diff above)" >&2
  exit 1
fi
echo "root network namespace unchanged"
exit $status
