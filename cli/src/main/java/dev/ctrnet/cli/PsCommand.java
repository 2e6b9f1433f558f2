package dev.ctrnet.cli;

import dev.ctrnet.core.container.ContainerState;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ctrnet ps}: the containers, running ones only unless {@code -a}. */
@Command(name = "ps", description = "List containers.")
final class PsCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @ParentCommand
    Main main;

    @Option(names = {"-a", "--all"}, description = "show exited containers too")
    boolean all;

    @Option(names = "--format", description = "table, or json for a JSON array of the objects inspect prints")
    OutputFormat format = OutputFormat.TABLE;

    @Override
    public Integer call() {
        List<ContainerState> states = main.runtime().states().stream().filter(s -> all || s.running()).toList();
        if (format == OutputFormat.JSON) {
            System.out.println(Views.json(states.stream().map(Views::container).toList()));
            return 0;
        }
        String row = "%-12s  %-20s  %-8s  %-10s  %-15s  %s%n";
        System.out.printf(row, "ID", "NAME", "STATE", "NETWORK", "IP", "PORTS");
        for (ContainerState s : states) {
            Map<String, Object> v = Views.container(s);
            String ports = String.join(", ", s.record().ports().stream().map(p -> p.describe()).toList());
            System.out.printf(row, s.record().shortId(), s.record().name(), s.status(), v.get("network"), v.get("ip"), ports);
        }
        return 0;
    }
}
