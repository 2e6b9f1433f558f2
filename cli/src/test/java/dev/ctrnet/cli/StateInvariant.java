package dev.ctrnet.cli;

import dev.ctrnet.core.RuntimeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 10's invariant, seen from outside: the kernel objects a state root implies (rendered from its records,
 * {@link StateRecords}) are exactly those the network namespace playing its host holds: links, addresses and
 * routes of the host and of each container's namespace, the namespace mounts, and the NAT backend's rules; no
 * two containers share an address, a MAC or a host port; every lease is a live record's and every address a
 * lease's. The namespace must be the state root's alone, so that everything in it is ctrnet's.
 *
 * <p>The kernel is read in one process per check ({@code ip -j}, {@code nft -j list ruleset} and
 * {@code iptables-save} once each, and one {@code ip -j} per container namespace), so that it can run after every
 * step of a long random sequence.
 */
final class StateInvariant {
    private static final String SECTION = "@@";
    private static final long SETTLE_MILLIS = 10_000;
    private static final Pattern IPT_DNAT = Pattern.compile(
            "-A \\S+-DNAT (?:-d (\\S+)/32 )?-p (\\w+) -m \\w+ --dport (\\d+) .*-j DNAT --to-destination (\\S+)");
    private static final Pattern IPT_MASQUERADE = Pattern.compile("-A \\S+-POSTROUTING -s (\\S+) ! -o (\\S+) -j MASQUERADE");
    private static final Pattern IPT_JUMP = Pattern.compile("-A ([A-Z]+) -j (CTRNET\\S*)");
    private static final Pattern IPT_INTERFACE = Pattern.compile("-[io] (\\S+)");

    private final Path root;
    private final Path host;
    private final String backend;

    /**
     * @param root the state root
     * @param host the network namespace (a file, as {@code /run/netns/NAME}) where its commands run
     * @param backend the NAT backend its rules must be in: {@code nftables} or {@code iptables}
     */
    StateInvariant(Path root, Path host, String backend) {
        this.root = root;
        this.host = host;
        this.backend = backend;
    }

    /**
     * Checks the invariant and returns the records it held for; fails naming every violation. The kernel finishes
     * some work in the background (a deleted namespace's veth goes once the kernel's namespace cleanup has run,
     * seconds later on a loaded machine), so a violation counts once it has lasted {@link #SETTLE_MILLIS}.
     */
    StateRecords check() {
        long deadline = System.nanoTime() + SETTLE_MILLIS * 1_000_000;
        while (true) {
            StateRecords records = StateRecords.of(root);
            List<String> violations = violations(records, Kernel.read(root, host, backend.equals("iptables")));
            if (violations.isEmpty()) {
                return records;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the kernel is not what the state in " + root + " says:\n  "
                        + String.join("\n  ", violations));
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    private List<String> violations(StateRecords state, Kernel kernel) {
        List<String> out = new ArrayList<>(state.strays());
        Map<String, StateRecords.Net> bridges = new LinkedHashMap<>();
        state.networks().stream().filter(n -> n.bridge().isPresent()).forEach(n -> bridges.put(n.bridge().get(), n));
        hostLinks(state, kernel, bridges, out);
        mounts(state, out);
        containerNamespaces(state, kernel, out);
        unique(state, out);
        leases(state, out);
        if (backend.equals("nftables")) {
            nftables(state, kernel, bridges, out);
            kernel.nftChains().stream().filter(c -> c.contains("CTRNET"))
                    .forEach(c -> out.add("iptables holds chain " + c + ", but the backend is nftables"));
        } else {
            iptables(state, kernel, bridges, out);
            kernel.nftTables().stream().filter(t -> t.startsWith("inet ctrnet"))
                    .forEach(t -> out.add("nftables holds table " + t + ", but the backend is iptables"));
        }
        return out;
    }

    private static void hostLinks(StateRecords state, Kernel kernel, Map<String, StateRecords.Net> bridges,
            List<String> out) {
        Map<String, String> veths = new HashMap<>();
        for (StateRecords.Container c : state.containers()) {
            for (StateRecords.Attachment a : c.networks()) {
                Optional<StateRecords.Net> net = state.network(a.network());
                if (net.isEmpty()) {
                    out.add(c.name() + " is attached to network " + a.network() + ", which has no record");
                } else if (a.hostInterface().isPresent() && net.get().bridge().isPresent()) {
                    veths.put(a.hostInterface().get(), net.get().bridge().get());
                }
            }
        }
        Set<String> routes = new HashSet<>();
        for (Map<String, Object> r : kernel.routes()) {
            routes.add(r.get("dst") + " dev " + r.get("dev"));
        }
        Set<String> expectedRoutes = new HashSet<>();
        bridges.forEach((bridge, net) -> {
            Map<String, Object> link = kernel.links().get(bridge);
            if (link == null) {
                out.add("network " + net.name() + "'s bridge " + bridge + " is missing");
                return;
            }
            if (!"bridge".equals(kind(link))) {
                out.add(bridge + " is a " + kind(link) + ", not a bridge");
            }
            if (!flags(link).contains("UP")) {
                out.add("bridge " + bridge + " is down");
            }
            String gateway = net.gateway().orElse("") + "/" + net.prefix();
            if (!addresses(link).contains(gateway)) {
                out.add("bridge " + bridge + " lacks its gateway address " + gateway + ": it has " + addresses(link));
            }
            net.subnet().ifPresent(s -> expectedRoutes.add(s + " dev " + bridge));
        });
        veths.forEach((veth, bridge) -> {
            Map<String, Object> link = kernel.links().get(veth);
            if (link == null) {
                out.add("veth " + veth + " is missing");
            } else if (!bridge.equals(link.get("master"))) {
                out.add("veth " + veth + " is not a port of " + bridge + " (master " + link.get("master") + ")");
            }
        });
        for (Map.Entry<String, Map<String, Object>> e : kernel.links().entrySet()) {
            String name = e.getKey();
            if (!name.equals("lo") && !bridges.containsKey(name) && !veths.containsKey(name)) {
                out.add("link " + name + " (" + kind(e.getValue()) + ") belongs to nothing in the state");
            }
            if (bridges.containsKey(name)) {
                StateRecords.Net net = bridges.get(name);
                addresses(e.getValue()).stream().filter(a -> !a.equals(net.gateway().orElse("") + "/" + net.prefix()))
                        .forEach(a -> out.add("bridge " + name + " has address " + a + ", which no record gives it"));
            } else if (!name.equals("lo")) {
                addresses(e.getValue()).forEach(a -> out.add(name + " has address " + a + ", which no record gives it"));
            }
        }
        expectedRoutes.stream().filter(r -> !routes.contains(r)).forEach(r -> out.add("route " + r + " is missing"));
        routes.stream().filter(r -> !expectedRoutes.contains(r)).forEach(r -> out.add("route " + r + " belongs to nothing"));
    }

    /** The namespace mounts under the root's runtime folder are the records' own, and nothing else is there. */
    private void mounts(StateRecords state, List<String> out) {
        Set<String> expected = new TreeSet<>();
        for (StateRecords.Container c : state.containers()) {
            c.netns().ifPresent(expected::add);
            c.uts().ifPresent(expected::add);
        }
        Set<String> mounted = new TreeSet<>();
        Set<String> present = new TreeSet<>();
        Path run = RuntimeConfig.runDirOf(root.toAbsolutePath().normalize());
        for (String kind : List.of("netns", "uts")) {
            try {
                StateFiles.list(run.resolve(kind)).forEach(p -> present.add(p.toString()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] fields = line.split(" ");
                String point = fields[4];
                int dash = line.indexOf(" - ");
                if (point.startsWith(run + "/") && dash > 0 && line.substring(dash + 3).startsWith("nsfs ")) {
                    mounted.add(point);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        expected.stream().filter(p -> !mounted.contains(p)).forEach(p -> out.add("namespace " + p + " is not mounted"));
        mounted.stream().filter(p -> !expected.contains(p)).forEach(p -> out.add("namespace mount " + p + " belongs to no record"));
        present.stream().filter(p -> !expected.contains(p)).forEach(p -> out.add("file " + p + " belongs to no record"));
    }

    /** Each container's namespace holds loopback and its interfaces, with their addresses, MACs and default route. */
    private static void containerNamespaces(StateRecords state, Kernel kernel, List<String> out) {
        for (StateRecords.Container c : state.containers()) {
            if (c.netns().isEmpty()) {
                continue;
            }
            Kernel.Namespace ns = kernel.containers().get(c.netns().get());
            if (ns == null) {
                out.add(c.name() + "'s namespace " + c.netns().get() + " could not be read");
                continue;
            }
            Set<String> expectedLinks = new TreeSet<>(List.of("lo"));
            Set<String> expectedDefaults = new TreeSet<>();
            for (StateRecords.Attachment a : c.networks()) {
                expectedLinks.add(a.iface());
                Map<String, Object> link = ns.links().get(a.iface());
                if (link == null) {
                    out.add(c.name() + " lacks interface " + a.iface() + " of network " + a.network());
                    continue;
                }
                a.address().filter(addr -> !addresses(link).contains(addr))
                        .ifPresent(addr -> out.add(c.name() + "'s " + a.iface() + " lacks " + addr + ": it has " + addresses(link)));
                a.mac().filter(mac -> !mac.equals(link.get("address")))
                        .ifPresent(mac -> out.add(c.name() + "'s " + a.iface() + " has MAC " + link.get("address") + ", not " + mac));
                if (a.defaultRoute()) {
                    expectedDefaults.add("via " + a.gateway().orElse("?") + " dev " + a.iface());
                }
            }
            Set<String> links = new TreeSet<>(ns.links().keySet());
            if (!links.equals(expectedLinks)) {
                out.add(c.name() + " has interfaces " + links + ", its record " + expectedLinks);
            }
            Set<String> defaults = new TreeSet<>();
            ns.routes().stream().filter(r -> "default".equals(r.get("dst")))
                    .forEach(r -> defaults.add("via " + r.get("gateway") + " dev " + r.get("dev")));
            if (!defaults.equals(expectedDefaults)) {
                out.add(c.name() + " has default routes " + defaults + ", its record " + expectedDefaults);
            }
        }
    }

    /** No two attachments share an address on a network, or a MAC; no two publishing containers a host port. */
    private static void unique(StateRecords state, List<String> out) {
        Map<String, String> addresses = new HashMap<>();
        Map<String, String> macs = new HashMap<>();
        for (StateRecords.Container c : state.containers()) {
            for (StateRecords.Attachment a : c.networks()) {
                a.ip().map(ip -> addresses.put(a.network() + " " + ip, c.name()))
                        .ifPresent(other -> out.add(c.name() + " and " + other + " share address " + a.ip().get()));
                a.mac().map(mac -> macs.put(mac, c.name()))
                        .ifPresent(other -> out.add(c.name() + " and " + other + " share MAC " + a.mac().get()));
            }
        }
        // a container publishes its ports through its first network: one with none holds no port
        List<StateRecords.Container> all = state.containers().stream().filter(c -> !c.networks().isEmpty()).toList();
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                for (StateRecords.Port p : all.get(i).ports()) {
                    for (StateRecords.Port q : all.get(j).ports()) {
                        boolean sameAddress = p.hostIp().equals(q.hostIp()) || p.hostIp().equals("0.0.0.0")
                                || q.hostIp().equals("0.0.0.0");
                        if (p.protocol().equals(q.protocol()) && sameAddress && p.first() <= q.last() && q.first() <= p.last()) {
                            out.add(all.get(i).name() + " and " + all.get(j).name() + " share host port " + p.label());
                        }
                    }
                }
            }
        }
    }

    /** The leases are exactly the records' addresses: each held by the container that has it. */
    private static void leases(StateRecords state, List<String> out) {
        Set<String> leases = new TreeSet<>();
        state.leases().forEach(l -> leases.add(l.network() + " " + l.address() + " " + l.owner()));
        Set<String> held = new TreeSet<>();
        Map<String, String> names = new HashMap<>();
        for (StateRecords.Container c : state.containers()) {
            names.put(c.id(), c.name());
            c.networks().forEach(a -> a.ip().ifPresent(ip -> held.add(a.network() + " " + ip + " " + c.id())));
        }
        leases.stream().filter(l -> !held.contains(l)).forEach(l -> out.add("lease " + l + " belongs to no record's "
                + "attachment (owner " + names.getOrDefault(l.substring(l.lastIndexOf(' ') + 1), "gone") + ")"));
        held.stream().filter(l -> !leases.contains(l)).forEach(l -> out.add("address " + l + " has no lease"));
    }

    /** What the rules must publish: {@code tcp *:8080 -> 172.17.0.2:80}, one per host port. */
    private static Set<String> expectedPorts(StateRecords state, Map<String, StateRecords.Net> bridges) {
        Set<String> ports = new TreeSet<>();
        for (StateRecords.Container c : state.containers()) {
            if (c.networks().isEmpty()) {
                continue;
            }
            StateRecords.Attachment first = c.networks().get(0);
            boolean routed = state.network(first.network()).flatMap(StateRecords.Net::bridge).map(bridges::containsKey)
                    .orElse(false);
            if (!routed || first.ip().isEmpty()) {
                continue;
            }
            for (StateRecords.Port p : c.ports()) {
                int containerFirst = Integer.parseInt(p.containerPorts().split("-")[0]);
                for (int port = p.first(); port <= p.last(); port++) {
                    ports.add(port(p.protocol(), p.hostIp().equals("0.0.0.0") ? "*" : p.hostIp(), port,
                            first.ip().get() + ":" + (containerFirst + port - p.first())));
                }
            }
        }
        return ports;
    }

    private static Set<String> expectedMasquerades(Map<String, StateRecords.Net> bridges) {
        Set<String> out = new TreeSet<>();
        bridges.forEach((bridge, net) -> {
            if (!net.internal() && net.masquerade()) {
                out.add(net.subnet().orElse("?") + " out of " + bridge);
            }
        });
        return out;
    }

    private static String port(String protocol, String hostIp, int hostPort, String destination) {
        return protocol + " " + hostIp + ":" + hostPort + " -> " + destination;
    }

    @SuppressWarnings("unchecked")
    private static void nftables(StateRecords state, Kernel kernel, Map<String, StateRecords.Net> bridges,
            List<String> out) {
        List<String> tables = kernel.nftTables().stream().filter(t -> t.startsWith("inet ctrnet")).toList();
        if (tables.size() > 1) {
            out.add("more than one table of ctrnet's: " + tables);
        }
        if (tables.isEmpty() && !bridges.isEmpty()) {
            out.add("no nftables table of ctrnet's, though there are networks " + bridges.keySet());
        }
        String table = tables.isEmpty() ? "" : tables.get(0).substring("inet ".length());
        Set<String> ports = new TreeSet<>();
        Set<String> masquerades = new TreeSet<>();
        Set<String> setBridges = new TreeSet<>();
        Set<String> named = new TreeSet<>();
        for (Map<String, Object> entry : kernel.nft()) {
            Map<String, Object> object = (Map<String, Object>) entry.values().iterator().next();
            if (!table.equals(object.get("table")) || !"inet".equals(object.get("family"))) {
                continue;
            }
            collectInterfaceNames(object, named);
            if (entry.containsKey("set") && "bridges".equals(object.get("name"))) {
                elements(object).forEach(e -> setBridges.add(e.toString()));
            } else if (entry.containsKey("map")) {
                for (Object e : elements(object)) {
                    List<Object> pair = (List<Object>) e;
                    List<Object> key = concat(pair.get(0));
                    List<Object> value = concat(pair.get(1));
                    String destination = value.get(0) + (value.size() > 1 ? ":" + value.get(1) : "");
                    if (key.size() == 2) {
                        ports.add(port(key.get(0).toString(), "*", ((Number) key.get(1)).intValue(), destination));
                    } else {
                        ports.add(port(key.get(1).toString(), key.get(0).toString(), ((Number) key.get(2)).intValue(),
                                destination));
                    }
                }
            } else if (entry.containsKey("rule") && "postrouting".equals(object.get("chain"))) {
                masquerade((List<Map<String, Object>>) object.get("expr")).ifPresent(masquerades::add);
            }
        }
        compare("published port", expectedPorts(state, bridges), ports, out);
        compare("outbound masquerade", expectedMasquerades(bridges), masquerades, out);
        compare("bridge in set bridges", bridges.keySet(), setBridges, out);
        named.stream().filter(n -> !bridges.containsKey(n))
                .forEach(n -> out.add("a rule of table " + table + " names interface " + n + ", no network's bridge"));
    }

    /** {@code ip saddr SUBNET oifname != "BRIDGE" masquerade}, as SUBNET out of BRIDGE. */
    @SuppressWarnings("unchecked")
    private static Optional<String> masquerade(List<Map<String, Object>> expr) {
        String subnet = null;
        String bridge = null;
        boolean masquerade = false;
        for (Map<String, Object> e : expr) {
            if (e.containsKey("masquerade")) {
                masquerade = true;
            }
            Map<String, Object> match = (Map<String, Object>) e.get("match");
            if (match == null) {
                continue;
            }
            String left = String.valueOf(match.get("left"));
            Object right = match.get("right");
            if (left.contains("saddr") && right instanceof Map<?, ?> r && r.get("prefix") instanceof Map<?, ?> prefix) {
                subnet = prefix.get("addr") + "/" + prefix.get("len");
            } else if (left.contains("oifname") && "!=".equals(match.get("op"))) {
                bridge = String.valueOf(right);
            }
        }
        return masquerade && subnet != null && bridge != null ? Optional.of(subnet + " out of " + bridge) : Optional.empty();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> elements(Map<String, Object> setOrMap) {
        Object elem = setOrMap.get("elem");
        if (elem == null) {
            return List.of();
        }
        return elem instanceof List<?> list ? (List<Object>) list : List.of(elem);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> concat(Object value) {
        if (value instanceof Map<?, ?> map && map.get("concat") instanceof List<?> parts) {
            return (List<Object>) parts;
        }
        return List.of(value);
    }

    /** Every string in a rule or set that names one of ctrnet's interfaces. */
    private static void collectInterfaceNames(Object value, Set<String> out) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if (!"table".equals(k) && !"name".equals(k)) {
                    collectInterfaceNames(v, out);
                }
            });
        } else if (value instanceof List<?> list) {
            list.forEach(v -> collectInterfaceNames(v, out));
        } else if (value instanceof String s && s.startsWith("ctrnet")) {
            out.add(s);
        }
    }

    private static void iptables(StateRecords state, Kernel kernel, Map<String, StateRecords.Net> bridges,
            List<String> out) {
        Set<String> ports = new TreeSet<>();
        Set<String> masquerades = new TreeSet<>();
        List<String> jumps = new ArrayList<>();
        Set<String> named = new TreeSet<>();
        String table = "";
        for (String line : kernel.iptables().lines().toList()) {
            if (line.startsWith("*")) {
                table = line.substring(1);
            }
            Matcher dnat = IPT_DNAT.matcher(line);
            if (dnat.find()) {
                ports.add(port(dnat.group(2), dnat.group(1) == null ? "*" : dnat.group(1),
                        Integer.parseInt(dnat.group(3)), dnat.group(4)));
            }
            Matcher masquerade = IPT_MASQUERADE.matcher(line);
            if (masquerade.find()) {
                masquerades.add(masquerade.group(1) + " out of " + masquerade.group(2));
            }
            Matcher jump = IPT_JUMP.matcher(line);
            if (jump.find()) {
                jumps.add(table + " " + jump.group(1));
            }
            if (line.contains("CTRNET")) {
                Matcher iface = IPT_INTERFACE.matcher(line);
                while (iface.find()) {
                    if (!iface.group(1).equals("lo")) {
                        named.add(iface.group(1));
                    }
                }
            }
        }
        compare("published port", expectedPorts(state, bridges), ports, out);
        compare("outbound masquerade", expectedMasquerades(bridges), masquerades, out);
        List<String> expectedJumps = bridges.isEmpty() && jumps.isEmpty() ? List.of()
                : List.of("filter FORWARD", "filter INPUT", "nat OUTPUT", "nat POSTROUTING", "nat PREROUTING", "raw PREROUTING");
        List<String> sorted = jumps.stream().sorted().toList();
        if (!sorted.equals(expectedJumps)) {
            out.add("the jumps into ctrnet's chains are " + sorted + ", not " + expectedJumps);
        }
        named.stream().filter(n -> !bridges.containsKey(n))
                .forEach(n -> out.add("an iptables rule of ctrnet's names interface " + n + ", no network's bridge"));
    }

    private static void compare(String what, Set<String> expected, Set<String> actual, List<String> out) {
        expected.stream().filter(e -> !actual.contains(e)).forEach(e -> out.add(what + " " + e + " is missing"));
        actual.stream().filter(a -> !expected.contains(a)).forEach(a -> out.add(what + " " + a + " belongs to nothing"));
    }

    private static String kind(Map<String, Object> link) {
        return link.get("linkinfo") instanceof Map<?, ?> info ? String.valueOf(info.get("info_kind")) : "device";
    }

    @SuppressWarnings("unchecked")
    private static List<String> flags(Map<String, Object> link) {
        return (List<String>) link.getOrDefault("flags", List.of());
    }

    /** A link's IPv4 and global IPv6 addresses, as {@code 10.0.0.1/24}. */
    @SuppressWarnings("unchecked")
    private static List<String> addresses(Map<String, Object> link) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> a : (List<Map<String, Object>>) link.getOrDefault("addr_info", List.of())) {
            if (!"link".equals(a.get("scope")) && !"host".equals(a.get("scope"))) {
                out.add(a.get("local") + "/" + a.get("prefixlen"));
            }
        }
        return out;
    }

    /**
     * What the kernel holds, read in one go.
     *
     * @param links the host's links with their addresses ({@code ip -d -j addr}), by name
     * @param routes the host's IPv4 main routes
     * @param nft {@code nft -j list ruleset}'s entries
     * @param iptables {@code iptables-save}, read for the iptables backend only
     * @param containers each container namespace's links and routes, by the path of its mount
     */
    private record Kernel(Map<String, Map<String, Object>> links, List<Map<String, Object>> routes,
            List<Map<String, Object>> nft, String iptables, Map<String, Namespace> containers) {
        record Namespace(Map<String, Map<String, Object>> links, List<Map<String, Object>> routes) {}

        /**
         * Reads the kernel in one process: {@code ip -batch} lists a namespace's addresses and routes at once, one
         * JSON array a line; {@code iptables-save} only for the iptables backend (iptables-nft's chains show in
         * {@code nft -j list ruleset} too, where the nftables backend's check finds any of ctrnet's).
         */
        static Kernel read(Path root, Path host, boolean iptables) {
            String netns = RuntimeConfig.runDirOf(root.toAbsolutePath().normalize()).resolve("netns").toString();
            String lists = "printf 'addr show\\nroute show\\n' | ";
            String script = String.join("\n",
                    lists + "ip -d -j -batch -", "echo " + SECTION,
                    "nft -j list ruleset 2>/dev/null || echo '{\"nftables\":[]}'", "echo " + SECTION,
                    iptables ? "iptables-save | grep -v '^#'" : "true",
                    "for p in '" + netns + "'/*; do [ -e \"$p\" ] || continue",
                    "  echo \"" + SECTION + " $p\"; " + lists + "nsenter --net=\"$p\" ip -j -batch - 2>/dev/null"
                            + " || printf '[]\\n[]\\n'",
                    "done");
            String dump = Shell.run(List.of("nsenter", "--net=" + host, "sh", "-c", script)).ok().out();
            List<List<String>> sections = new ArrayList<>();
            List<String> headers = new ArrayList<>();
            sections.add(new ArrayList<>());
            for (String line : dump.lines().toList()) {
                if (line.startsWith(SECTION)) {
                    headers.add(line.substring(SECTION.length()).strip());
                    sections.add(new ArrayList<>());
                } else if (!line.isBlank()) {
                    sections.get(sections.size() - 1).add(line);
                }
            }
            Map<String, Namespace> containers = new HashMap<>();
            for (int i = 3; i < sections.size(); i++) {
                List<String> lines = sections.get(i);
                containers.put(headers.get(i - 1), new Namespace(byName(Json.array(lines.get(0))),
                        Json.array(lines.size() > 1 ? lines.get(1) : "[]")));
            }
            List<Map<String, Object>> nft = new ArrayList<>();
            Object entries = Json.object(String.join("\n", sections.get(1))).get("nftables");
            if (entries instanceof List<?> list) {
                for (Object e : list) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> entry = (Map<String, Object>) e;
                    if (!entry.containsKey("metainfo")) {
                        nft.add(entry);
                    }
                }
            }
            List<String> hostLists = sections.get(0);
            return new Kernel(byName(Json.array(hostLists.get(0))), Json.array(hostLists.size() > 1 ? hostLists.get(1) : "[]"),
                    nft, String.join("\n", sections.get(2)), containers);
        }

        /** The chains, as {@code ip nat CTRNET-ABC-DNAT}. */
        @SuppressWarnings("unchecked")
        List<String> nftChains() {
            return nft.stream().filter(e -> e.containsKey("chain")).map(e -> (Map<String, Object>) e.get("chain"))
                    .map(c -> c.get("family") + " " + c.get("table") + " " + c.get("name")).toList();
        }

        /** The tables, as {@code inet ctrnet-abc}. */
        @SuppressWarnings("unchecked")
        List<String> nftTables() {
            return nft.stream().filter(e -> e.containsKey("table")).map(e -> (Map<String, Object>) e.get("table"))
                    .map(t -> t.get("family") + " " + t.get("name")).toList();
        }

        private static Map<String, Map<String, Object>> byName(List<Map<String, Object>> links) {
            Map<String, Map<String, Object>> out = new LinkedHashMap<>();
            links.forEach(l -> out.put((String) l.get("ifname"), l));
            return out;
        }
    }
}
