#!/usr/bin/env bash
# The README's main command: installs what is missing, builds ctrnet, and plays the container
# networking tutorials' scenario with it — inside a throwaway network namespace, so that your
# machine's own network is left exactly as it was.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "ctrnet: the demo creates namespaces and links: run it as root" >&2; exit 1; }
tools/install-deps.sh
CTRNET_NO_DAEMON=1 bin/ctrnet --version >/dev/null   # builds on first use, while the registry is still reachable (in-process: no service outside the sandbox)
exec unshare --net --mount --propagation private -- bash -c '
set -euo pipefail
mount -t tmpfs -o mode=755 demo-run /run
ip link set lo up
export CTRNET_ROOT=/run/ctrnet-demo PATH="$PWD/bin:$PATH"
step() { printf "\n\033[1m# %s\033[0m\n" "$1"; }
show() { printf "\033[36m$ %s\033[0m\n" "$*"; "$@"; }

step "A throwaway world: this namespace plays the host; a second one, \"outside\", plays the Internet"
ip netns add outside
ip link add uplink0 type veth peer name eth0 netns outside
ip addr add 198.51.100.1/24 dev uplink0 && ip link set uplink0 up
ip -n outside addr add 198.51.100.2/24 dev eth0 && ip -n outside link set eth0 up && ip -n outside link set lo up
ip route add default via 198.51.100.2
echo "host 198.51.100.1 <-> outside 198.51.100.2 (TEST-NET-2)"
ip netns exec outside socat TCP-LISTEN:7000,reuseaddr,fork SYSTEM:"echo the outside world sees you as \$SOCAT_PEERADDR" &
server=$!

step "Two containers on the default bridge (namespace + veth pair + bridge + default route + masquerade)"
show ctrnet run -d --name alpha -- sleep 600
show ctrnet run -d --name beta -p 8080:80 -- socat TCP-LISTEN:80,reuseaddr,fork SYSTEM:"echo hello from beta"
show ctrnet ps
field() { sed -n "s/^  \"$1\" : \"\\(.*\\)\",\$/\\1/p" | head -1; }
beta_ip=$(ctrnet inspect beta | field ip)
alpha_ip=$(ctrnet inspect alpha | field ip)
bridge=$(ctrnet network inspect bridge | field bridge)

step "What ctrnet built, seen with ip: the bridge and the host ends of the cables"
show ip -br addr show "$bridge"
show ip -br link show master "$bridge"

step "Inside alpha: eth0 with its address, a default route via the bridge"
show ctrnet exec alpha -- ip -br addr show eth0
show ctrnet exec alpha -- ip route

step "Container to container, container to host, host to container"
show ctrnet exec alpha -- ping -c1 -W2 "$beta_ip"
show ctrnet exec alpha -- ping -c1 -W2 198.51.100.1
show ping -c1 -W2 "$alpha_ip"

step "Container to the outside world: the server sees the host address (MASQUERADE)"
sleep 0.2
show ctrnet exec alpha -- socat -T2 - TCP:198.51.100.2:7000

step "A published port (DNAT): the outside world reaches beta through the host, port 8080"
show ip netns exec outside socat -T2 - TCP:198.51.100.1:8080
show ctrnet port beta

step "The picture: what ctrnet built, drawn from its state and what the kernel reports (--format dot|svg too)"
show ctrnet network inspect bridge --diagram

step "A broken path, diagnosed hop by hop: forwarding off, the doctor names it and its fix"
show sysctl -w net.ipv4.ip_forward=0
show ctrnet doctor alpha --to 198.51.100.2 || echo "(exit status $?)"
show sysctl -w net.ipv4.ip_forward=1
show ctrnet doctor alpha --to 198.51.100.2

step "The rules ctrnet keeps (one table of its own, published ports as map elements)"
show nft list table inet "$(nft list tables | grep -o "ctrnet[-a-z0-9]*" | head -1)"

step "Cleaning up: nothing is left behind"
show ctrnet rm -f alpha beta
sleep 0.3
show ip -br link show master "$bridge"
show ctrnet service stop   # the warm service that ran these commands; it would exit by itself when idle
kill $server
echo
echo "Done. Everything above happened in a throwaway namespace; your network is untouched."
'
