package dev.ctrnet.cli;

import dev.ctrnet.core.topology.Topology;
import dev.ctrnet.core.topology.Topology.Member;
import dev.ctrnet.core.topology.Topology.Net;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@link Topology} as Graphviz's dot language: the same boxes and words as {@link TopologyPicture}, as
 * nodes (the outside world, the host, each network, each container) and edges (the uplink, the host's routing
 * to each network, each container's cable), for {@code dot -Tsvg} to lay out.
 */
final class TopologyDot {
    private TopologyDot() {}

    static String render(Topology topology) {
        StringBuilder dot = new StringBuilder("graph ctrnet {\n");
        dot.append("  graph [rankdir=TB, fontname=\"monospace\"];\n");
        dot.append("  node [shape=box, style=rounded, fontname=\"monospace\"];\n");
        dot.append("  edge [fontname=\"monospace\", fontsize=10];\n");
        if (TopologyPicture.reachesWorld(topology)) {
            dot.append("  \"world\" [label=\"outside world\", shape=ellipse];\n");
            dot.append("  \"world\" -- \"host\"").append(edgeLabel(topology.uplink().device().orElse(""))).append(";\n");
        }
        dot.append("  \"host\" [label=").append(label(TopologyPicture.hostLines(topology).stream().map(String::strip).toList()))
                .append("];\n");
        Set<String> drawn = new HashSet<>();
        for (Net net : topology.networks()) {
            String id = quoted("net:" + net.name());
            dot.append("  ").append(id).append(" [label=").append(label(TopologyPicture.networkLines(net))).append("];\n");
            dot.append("  \"host\" -- ").append(id).append(";\n");
            for (Member m : net.members()) {
                String member = quoted("ctr:" + m.name());
                // a container on several networks is one node, with one cable (and address) per network
                if (drawn.add(m.name())) {
                    List<String> lines = new ArrayList<>(List.of(TopologyPicture.title(m)));
                    lines.addAll(TopologyPicture.ports(m));
                    dot.append("  ").append(member).append(" [label=").append(label(lines)).append("];\n");
                }
                String cable = (TopologyPicture.cable(m) + m.address().map(a -> " " + a).orElse("")).strip();
                dot.append("  ").append(id).append(" -- ").append(member).append(edgeLabel(cable)).append(";\n");
            }
        }
        return dot.append("}\n").toString();
    }

    private static String edgeLabel(String text) {
        return text.isEmpty() ? "" : " [label=" + quoted(text) + "]";
    }

    /** Lines as one label, each left-aligned ({@code \l} ends a left-justified line in dot). */
    private static String label(List<String> lines) {
        StringBuilder text = new StringBuilder();
        lines.forEach(line -> text.append(escape(line)).append("\\l"));
        return "\"" + text + "\"";
    }

    private static String quoted(String text) {
        return "\"" + escape(text) + "\"";
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
