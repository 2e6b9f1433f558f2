package dev.ctrnet.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ctrnet topology}: every network drawn at once, as {@code network inspect NAME --diagram} draws one. */
@Command(name = "topology", description = "Draw the host, its uplink, every network's bridge, veth pairs, containers and published ports.")
final class TopologyCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @ParentCommand
    Main main;

    @Option(names = "--format", paramLabel = "text|dot|svg",
            description = "text (box characters), dot (Graphviz) or svg (drawn by Graphviz's dot); default text")
    DiagramFormat format = DiagramFormat.TEXT;

    @Override
    public Integer call() {
        Diagram.print(main.runtime().topology(Optional.empty()), format);
        return 0;
    }
}
