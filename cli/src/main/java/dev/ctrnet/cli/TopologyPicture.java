package dev.ctrnet.cli;

import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.api.net.PortMapping;
import dev.ctrnet.core.topology.Topology;
import dev.ctrnet.core.topology.Topology.Device;
import dev.ctrnet.core.topology.Topology.LinkState;
import dev.ctrnet.core.topology.Topology.Member;
import dev.ctrnet.core.topology.Topology.Net;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link Topology} drawn for a terminal with box characters, as the tutorials' figures draw it: the
 * outside world on top, the host, then each network's bridge with its containers hanging off it by their
 * cables (the host's end of the veth pair, then the container's). Grows downwards, not sideways, so it stays
 * within 80 columns for ordinary names however many containers there are.
 */
final class TopologyPicture {
    private TopologyPicture() {}

    /** The picture, one line per row, each ending with a line break. */
    static String render(Topology topology) {
        List<String> out = new ArrayList<>();
        boolean world = reachesWorld(topology);
        if (world) {
            out.add("outside world");
            out.add("  │");
        }
        out.addAll(box(hostLines(topology), -1, world ? 2 : -1, topology.networks().isEmpty() ? -1 : 2));
        List<Block> networks = topology.networks().stream().map(TopologyPicture::network).toList();
        out.addAll(indent("  ", tree(networks, "──")));
        StringBuilder text = new StringBuilder();
        out.forEach(line -> text.append(line.stripTrailing()).append('\n'));
        return text.toString();
    }

    /** Whether the host has a way out to draw: a default route. */
    static boolean reachesWorld(Topology topology) {
        return topology.uplink().device().isPresent() || topology.uplink().gateway().isPresent();
    }

    /** What the host's box says: its uplink, default route, forwarding and NAT backend. */
    static List<String> hostLines(Topology topology) {
        List<String> lines = new ArrayList<>();
        lines.add("host  " + uplink(topology));
        topology.uplink().gateway().ifPresent(g -> lines.add("      default via " + IpAddresses.format(g)));
        lines.add("      ip_forward " + (topology.forwarding() ? "on" : "OFF") + " · NAT "
                + topology.natBackend().orElse("none usable"));
        return lines;
    }

    /** What a network's box says: its bridge and gateway, its name, how it reaches the world. */
    static List<String> networkLines(Net net) {
        List<String> lines = new ArrayList<>();
        String gateway = net.gateway().map(g -> "  " + IpAddresses.format(g)
                + net.subnet().map(s -> "/" + s.prefixLength()).orElse("")).orElse("");
        lines.add(net.bridge().map(b -> "bridge " + device(b)).orElse("network " + net.name()) + gateway);
        String kind = net.internal() ? "internal" : net.bridge().isEmpty() ? "driver " + net.driver()
                : net.masquerade() ? "masquerade to the world" : "routed, no masquerade";
        lines.add((net.bridge().isPresent() ? "network " + net.name() + " · " : "") + kind);
        return lines;
    }

    /** What a container's box says: its name (and whether it runs), address and published ports. */
    static List<String> memberLines(Member m) {
        List<String> lines = new ArrayList<>();
        lines.add(title(m) + m.address().map(a -> "  " + a).orElse(""));
        lines.addAll(ports(m));
        return lines;
    }

    /** A container's name, and whether it runs. */
    static String title(Member m) {
        return m.name() + (m.running() ? "" : " (not running)");
    }

    /** A container's published ports, one per line: {@code 80/tcp -> 0.0.0.0:8080}. */
    static List<String> ports(Member m) {
        return m.ports().stream().map(PortMapping::describe).toList();
    }

    /** A container's cable: the host's end of the veth pair, then the container's interface. */
    static String cable(Member m) {
        return m.hostEnd().map(e -> device(e) + " ═veth═ ").orElse("") + m.interfaceName().orElse("");
    }

    private static String uplink(Topology topology) {
        if (topology.uplink().device().isEmpty()) {
            return topology.uplink().gateway().isPresent() ? "uplink" : "no default route";
        }
        List<String> addresses = topology.uplink().addresses().stream().map(Cidr::toString).toList();
        return "uplink " + topology.uplink().device().get() + (addresses.isEmpty() ? "" : " " + String.join(", ", addresses));
    }

    /** A network: its bridge (or what its driver has instead) as a box, its members hanging below. */
    private static Block network(Net net) {
        List<String> lines = networkLines(net);
        if (net.members().isEmpty()) {
            lines.add("no containers");
        }
        List<String> rows = new ArrayList<>(box(lines, 1, -1, net.members().isEmpty() ? -1 : 2));
        List<Block> members = net.members().stream().map(TopologyPicture::member).toList();
        rows.addAll(indent("  ", tree(members, "─")));
        return new Block(rows, 1);
    }

    /** A container: its cable from the bridge, then a box with its name, address and published ports. */
    private static Block member(Member m) {
        String cable = cable(m);
        String join = cable.isEmpty() ? "─" : " " + cable + " ─";
        List<String> rows = new ArrayList<>();
        List<String> box = box(memberLines(m), 1, -1, -1);
        for (int i = 0; i < box.size(); i++) {
            rows.add((i == 1 ? join : " ".repeat(join.length())) + box.get(i));
        }
        return new Block(rows, 1);
    }

    private static String device(Device d) {
        return d.name() + (d.state() == LinkState.UP ? "" : d.state() == LinkState.DOWN ? " (DOWN)" : " (MISSING)");
    }

    /**
     * {@code lines} in a box. The left border has a {@code ┤} at row {@code joinRow} (counting the top border
     * as row 0), where a line comes in; the top border a {@code ┴} at column {@code topTee}, the bottom one a
     * {@code ┬} at column {@code bottomTee}; -1 for none.
     */
    private static List<String> box(List<String> lines, int joinRow, int topTee, int bottomTee) {
        int width = lines.stream().mapToInt(TopologyPicture::width).max().orElse(0) + 2;
        List<String> rows = new ArrayList<>();
        rows.add(border('┌', '┐', '┴', topTee, width));
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            rows.add((i + 1 == joinRow ? "┤" : "│") + " " + line + " ".repeat(width - 1 - width(line)) + "│");
        }
        rows.add(border('└', '┘', '┬', bottomTee, width));
        return rows;
    }

    private static String border(char left, char right, char tee, int teeColumn, int width) {
        StringBuilder b = new StringBuilder().append(left);
        for (int column = 1; column <= width; column++) {
            b.append(column == teeColumn ? tee : '─');
        }
        return b.append(right).toString();
    }

    /** Columns a line takes: the box characters and the arrows here take one each. */
    private static int width(String line) {
        return line.codePointCount(0, line.length());
    }

    /**
     * Blocks hanging off a vertical line in the first column: each joins it at its anchor row with
     * {@code ├} (the last with {@code └}) followed by {@code joint}.
     */
    private static List<String> tree(List<Block> blocks, String joint) {
        List<String> rows = new ArrayList<>();
        String pass = "│" + " ".repeat(joint.length());
        String clear = " ".repeat(joint.length() + 1);
        for (int b = 0; b < blocks.size(); b++) {
            Block block = blocks.get(b);
            boolean last = b == blocks.size() - 1;
            for (int i = 0; i < block.rows().size(); i++) {
                String prefix = i < block.anchor() ? pass : i == block.anchor() ? (last ? "└" : "├") + joint
                        : last ? clear : pass;
                rows.add(prefix + block.rows().get(i));
            }
        }
        return rows;
    }

    private static List<String> indent(String by, List<String> rows) {
        return rows.stream().map(r -> by + r).toList();
    }

    /**
     * Rows to hang off a line, and the row the line joins.
     *
     * @param rows the rows
     * @param anchor the index of the row the line comes in at
     */
    private record Block(List<String> rows, int anchor) {}
}
