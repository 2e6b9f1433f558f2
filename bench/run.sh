#!/usr/bin/env bash
# ctrnet's benchmarks, each inside a throwaway network namespace (the machine's own is never touched):
#   1. start-up: median wall time of `ctrnet run --rm --network none -- true` and `ctrnet run --rm -- true`
#   2. attach/detach: per-container cost with 1, 100 and 1,000 containers on one bridge, one published
#      port each, per NAT backend, with the ratio of the last containers' cost to the first's.
#   3. compare: the same measurement for the CNI reference plugins (bridge + host-local + portmap)
#      and for netavark, with 1, 100 and 300 containers (apt-get install containernetworking-plugins
#      netavark).
# Usage: bench/run.sh [startup|attach|compare|all] [RUNS]    (as root)
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
runs=${2:-20}
[ "$(id -u)" = 0 ] || { echo "ctrnet: the benchmarks create namespaces and links: run them as root" >&2; exit 1; }
bin/ctrnet --version >/dev/null   # build first, outside the sandbox
exec unshare --net --mount --propagation private -- bash -s "$what" "$runs" <<'SANDBOX'
set -euo pipefail
what=$1 runs=$2
mount -t tmpfs -o mode=755 bench-run /run
ip link set lo up
# a host with an uplink and a default route, as on a real machine
ip link add uplink0 type veth peer name uplink1 && ip addr add 198.51.100.1/24 dev uplink0
ip link set uplink0 up && ip link set uplink1 up && ip route add default via 198.51.100.2

median_ms() { sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.1f", m / 1e6}'; }
time_runs() {
  for _ in $(seq "$runs"); do
    t0=$(date +%s%N); "$@" >/dev/null; t1=$(date +%s%N); echo $((t1 - t0))
  done | median_ms
}

if [ "$what" = startup ] || [ "$what" = all ]; then
  export CTRNET_ROOT=/run/bench-startup
  bin/ctrnet run --rm -- true >/dev/null   # creates the default network and warms the class-data archive
  none=$(time_runs bin/ctrnet run --rm --network none -- true)
  bridge=$(time_runs bin/ctrnet run --rm -- true)
  version=$(time_runs bin/ctrnet --version)
  echo "startup ($runs runs, median wall time)"
  echo "  ctrnet --version                          ${version} ms"
  echo "  ctrnet run --rm --network none -- true    ${none} ms"
  echo "  ctrnet run --rm -- true                   ${bridge} ms   (docker run ~280 ms, podman run ~330 ms measured on this kind of machine)"
fi
if [ "$what" = attach ] || [ "$what" = all ]; then
  echo "attach/detach per container, one bridge, one published port each (Java API, no JVM start-up)"
  for nat in nftables iptables; do
    for n in 1 100 1000; do
      java -XX:+UseSerialGC -cp "cli/target/lib/*" bench/AttachBench.java "$nat" "$n" "/run/bench-$nat-$n" 2>&1 \
        | grep -v '^WARNING'
    done
  done
fi
if [ "$what" = compare ] || [ "$what" = all ]; then
  echo "the peers, same measurement (one bridge, one published port each; their netns made beforehand)"
  for peer in cni netavark; do
    tool=/usr/lib/cni/bridge; [ "$peer" = cni ] || tool=/usr/lib/podman/netavark
    if [ ! -x "$tool" ]; then
      echo "compare: $peer is not installed (apt-get install containernetworking-plugins netavark)"
      continue
    fi
    for n in 1 100 300; do
      java -XX:+UseSerialGC -cp "cli/target/lib/*" bench/PeersBench.java "$peer" "$n" 2>&1 | grep -v '^WARNING'
    done
  done
fi
SANDBOX
