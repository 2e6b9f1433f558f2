package dev.ctrnet.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code ctrnet drivers}: the network drivers and NAT backends found, and where from. */
@Command(name = "drivers", description = "List network drivers and NAT backends, and where each comes from.")
final class DriversCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @ParentCommand
    Main main;

    @Override
    public Integer call() {
        var catalog = main.runtime().catalog();
        String inUse = backendInUse();
        String row = "%-8s  %-12s  %-8s  %-6s  %s%n";
        System.out.printf(row, "KIND", "NAME", "VERSION", "IN USE", "ORIGIN");
        catalog.drivers().forEach(e -> System.out.printf(row, "driver", e.service().name(), e.service().version(), "",
                e.origin()));
        catalog.backends().forEach(e -> System.out.printf(row, "nat", e.service().name(), e.service().version(),
                e.service().name().equals(inUse) ? "yes" : "", e.origin()));
        catalog.problems().forEach(Main::printError);
        return 0;
    }

    /** The NAT backend this root uses (or would choose), or "" when none works here: listing must not fail on that. */
    private String backendInUse() {
        try {
            return main.runtime().natBackend();
        } catch (dev.ctrnet.core.CtrnetException e) {
            return "";
        }
    }
}
