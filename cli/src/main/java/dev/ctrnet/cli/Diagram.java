package dev.ctrnet.cli;

import dev.ctrnet.core.CtrnetException;
import dev.ctrnet.core.kernel.ProcessPrograms;
import dev.ctrnet.core.topology.Topology;
import dev.ctrnet.api.kernel.Programs;
import java.util.List;

/** Prints a {@link Topology} as {@code --format} asks: for the terminal, as dot, or as SVG drawn by Graphviz's dot. */
final class Diagram {
    private static final String DOT = "dot";

    private Diagram() {}

    static void print(Topology topology, DiagramFormat format) {
        System.out.print(switch (format) {
            case TEXT -> TopologyPicture.render(topology);
            case DOT -> TopologyDot.render(topology);
            case SVG -> svg(TopologyDot.render(topology));
        });
    }

    /** Graphviz lays the graph out; through the runtime's runner, so a hung {@code dot} is bounded like any tool. */
    private static String svg(String dot) {
        Programs programs = ProcessPrograms.fromEnvironment();
        if (!programs.exists(DOT)) {
            throw new CtrnetException("--format svg needs Graphviz's dot program: install package graphviz"
                    + " (apt-get install graphviz), or print --format dot and render it elsewhere");
        }
        Programs.Result drawn = programs.run(List.of(DOT, "-Tsvg"), dot);
        if (!drawn.ok()) {
            throw new CtrnetException("dot could not draw the picture: "
                    + drawn.stderr().strip().lines().findFirst().orElse("exit status " + drawn.exitCode()));
        }
        return drawn.stdout();
    }
}
