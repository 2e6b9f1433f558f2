#!/usr/bin/env bash
# Installs what ctrnet needs on Debian/Ubuntu, only what is missing. Safe to run again.
set -euo pipefail
need=()
have() { command -v "$1" >/dev/null 2>&1; }
java_major() { java -XshowSettings:properties -version 2>&1 | awk '/java.specification.version/ {print $3}' | cut -d. -f1; }
{ have java && [ "$(java_major)" -ge 17 ]; } || need+=(openjdk-17-jdk-headless)
have mvn || need+=(maven)
have unshare || need+=(util-linux)
have nsenter || need+=(util-linux)
have ip || need+=(iproute2)
have nft || need+=(nftables)
have iptables-restore || need+=(iptables)
have socat || need+=(socat)
have ping || need+=(iputils-ping)
have sysctl || need+=(procps)    # sysctl, and the kill the tests send signals with
have ss || need+=(iproute2)
have unzip || need+=(unzip)   # bin/ctrnet unpacks JNA's native library once with it
have dot || need+=(graphviz)  # ctrnet topology --format svg draws with Graphviz's dot
# the name server of user-defined networks; dnsmasq-base is the program without a system service
{ have dnsmasq || [ -x /usr/sbin/dnsmasq ]; } || need+=(dnsmasq-base)
have dig || need+=(bind9-dnsutils)  # the name tests ask name servers directly
have curl || need+=(curl)           # and fetch from containers by name
have jq || need+=(jq)               # the driver kit lists what a namespace holds with ip -j, through jq
# the static build: containers start in its shell, which must run on after pivot_root, where no
# shared library of the host can be loaded (and a --rootfs of busybox alone has none to load either)
dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "ctrnet: missing packages ${need[*]}; run this as root to install them" >&2
    exit 1
  fi
  echo "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi
