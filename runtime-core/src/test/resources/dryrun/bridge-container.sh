#!/bin/sh
# What ctrnet run would do, as the equivalent shell commands in the order it would do them.
# Nothing was changed. Run it as root; ctrnet's own records are not part of it.
set -e

# the network's switch: a Linux bridge, ctrnet0
ip link add ctrnet0 address 02:42:0a:58:00:01 up type bridge

# the gateway's address, on the bridge: the host's side of the network
ip address add 10.88.0.1/16 brd + dev ctrnet0

# IP forwarding: the host routes between its bridges and its other interfaces
sysctl -q -w net.ipv4.ip_forward=1

# route_localnet on ctrnet0: lets DNAT send 127.0.0.1 traffic (ports published on localhost) out of the bridge
sysctl -q -w net.ipv4.conf.ctrnet0.route_localnet=1

# the folder of namespace files, a shared mount point as ip netns makes /run/netns, so that containers' mount namespaces see these mounts come and go
(umask 077 && mkdir -p '/var/lib/my ctrnet/run/uts')
mount --make-rshared '/var/lib/my ctrnet/run/uts' 2>/dev/null || { mount --rbind '/var/lib/my ctrnet/run/uts' '/var/lib/my ctrnet/run/uts' && mount --make-rshared '/var/lib/my ctrnet/run/uts'; }

# the container's UTS namespace, with its host name web, kept alive by a bind mount on its file
install -m 600 /dev/null '/var/lib/my ctrnet/run/uts/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'
unshare '--uts=/var/lib/my ctrnet/run/uts/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' hostname web

# the folder of namespace files, a shared mount point as ip netns makes /run/netns, so that containers' mount namespaces see these mounts come and go
(umask 077 && mkdir -p '/var/lib/my ctrnet/run/netns')
mount --make-rshared '/var/lib/my ctrnet/run/netns' 2>/dev/null || { mount --rbind '/var/lib/my ctrnet/run/netns' '/var/lib/my ctrnet/run/netns' && mount --make-rshared '/var/lib/my ctrnet/run/netns'; }

# a new network namespace netns/0123456789ab, kept alive by a bind mount on its file (as ip netns add does)
install -m 600 /dev/null '/var/lib/my ctrnet/run/netns/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'
unshare '--net=/var/lib/my ctrnet/run/netns/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' true

# bring up the loopback of namespace netns/0123456789ab
nsenter '--net=/var/lib/my ctrnet/run/netns/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' ip link set lo up

# the cable: a veth pair, ve-01234567-0, plugged into bridge ctrnet0, and its other end eth0 born inside namespace netns/0123456789ab
ip link add ve-01234567-0 mtu 1450 master ctrnet0 up type veth peer name eth0 mtu 1450 address 02:42:0a:58:00:02 netns '/var/lib/my ctrnet/run/netns/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'

# hairpin: a container that reaches its own published port gets its packets back through its own port
ip link set ve-01234567-0 type bridge_slave hairpin on

# no IPv6 link-local address on ve-01234567-0: the network is IPv4, and its neighbour discovery would be flooded to every port of the bridge
ip link set ve-01234567-0 addrgenmode none

# no IPv6 link-local address on eth0: the network is IPv4, and its neighbour discovery would be flooded to every port of the bridge
nsenter '--net=/var/lib/my ctrnet/run/netns/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' ip link set eth0 addrgenmode none

# the address of eth0 in namespace netns/0123456789ab
nsenter '--net=/var/lib/my ctrnet/run/netns/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' ip address add 10.88.0.2/16 brd + dev eth0

# bring eth0 up
nsenter '--net=/var/lib/my ctrnet/run/netns/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' ip link set eth0 up

# the default route of namespace netns/0123456789ab, via the gateway 10.88.0.1
nsenter '--net=/var/lib/my ctrnet/run/netns/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef' ip route add default via 10.88.0.1
