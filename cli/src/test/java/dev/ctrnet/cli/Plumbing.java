package dev.ctrnet.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a network namespace holds of what ctrnet makes, as the kernel's own tools print it ({@code ip -d -j link},
 * {@code ip -j addr}, {@code ip -j route}, the forwarding and {@code route_localnet} sysctls, {@code nft -j list
 * ruleset}, {@code iptables-save}), with what differs between two equal set-ups made apart taken out: interface
 * indexes, MACs and the IPv6 link-local addresses made from them, netns ids, rule handles, counters, timers, an
 * address's duplicate address detection still running ({@code tentative}: it ends on a timer, later on a busy
 * machine), and
 * the container id in veth names ({@code ve-0123abcd-0} becomes {@code ve-ID-0}).
 */
record Plumbing(String links, String addresses, String routes, String sysctls, String nftables, String iptables) {
    /** Keys whose values differ between two equal set-ups. */
    private static final List<String> VOLATILE = List.of("ifindex", "link_index", "link_netnsid", "address",
            "perm_address", "handle", "metainfo", "packets", "bytes", "id", "bridge_id", "root_id",
            "designated_bridge", "designated_root", "preferred_life_time", "valid_life_time", "tentative");

    /** The namespace kept at (or named by) {@code netns}. */
    static Plumbing of(Path netns) {
        return new Plumbing(json(netns, "ip", "-d", "-j", "link"), json(netns, "ip", "-j", "addr"),
                json(netns, "ip", "-j", "route"),
                names(run(netns, "sysctl", "-a", "-r", "ip_forward|route_localnet")),
                json(netns, "nft", "-j", "list", "ruleset"),
                names(run(netns, "iptables-save").lines().filter(l -> !l.startsWith("#"))
                        .map(l -> l.replaceAll("\\[\\d+:\\d+\\]", "")).collect(Collectors.joining("\n"))));
    }

    /** The parts that differ from {@code other}, for a failure message; empty when there are none. */
    String differencesFrom(Plumbing other) {
        StringBuilder out = new StringBuilder();
        List<String> names = List.of("links", "addresses", "routes", "sysctls", "nftables", "iptables");
        List<String> mine = List.of(links, addresses, routes, sysctls, nftables, iptables);
        List<String> theirs = List.of(other.links, other.addresses, other.routes, other.sysctls, other.nftables,
                other.iptables);
        for (int i = 0; i < names.size(); i++) {
            if (!mine.get(i).equals(theirs.get(i))) {
                out.append(names.get(i)).append(":\n").append(theirs.get(i)).append("\n->\n").append(mine.get(i)).append('\n');
            }
        }
        return out.toString();
    }

    private static String json(Path netns, String... command) {
        String text = run(netns, command).strip();
        Object parsed = text.startsWith("[") ? Json.array(text) : Json.object(text);
        return names(normalised(parsed).toString());
    }

    private static Object normalised(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                String key = k.toString();
                if (!VOLATILE.contains(key) && !key.endsWith("_timer") && !(key.equals("local")
                        && v.toString().startsWith("fe80:"))) {
                    out.put(k, normalised(v));
                }
            });
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(normalised(v)));
            return out;
        }
        return value;
    }

    private static String names(String text) {
        return text.replaceAll("ve-[0-9a-f]{8}-", "ve-ID-").replaceAll("([0-9a-f]{2}:){5}[0-9a-f]{2}", "MAC");
    }

    private static String run(Path netns, String... command) {
        List<String> cmd = new ArrayList<>(List.of("nsenter", "--net=" + netns));
        cmd.addAll(List.of(command));
        return Shell.run(cmd).ok().out();
    }
}
