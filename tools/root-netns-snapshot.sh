#!/usr/bin/env bash
# Prints what the machine's own network namespace holds: links, addresses, routes, rules, netns
# mounts and net sysctls. The test command compares it before and after the tests.
ip -o link show | sed -E 's/^[0-9]+: //; s/ qlen [0-9]+//; s/(state|mode) [A-Z]+//g'
ip -o addr show | sed -E 's/^[0-9]+: //; s/valid_lft.*//'
ip route show table all
ip rule show
nft list ruleset 2>/dev/null
iptables-save 2>/dev/null | grep -v '^#' | sed -E 's/\[[0-9]+:[0-9]+\]//'
ls /run/netns /run/ctrnet 2>/dev/null
sysctl net.ipv4.ip_forward net.ipv4.conf.all.route_localnet 2>/dev/null
