package dev.ctrnet.cli;

import dev.ctrnet.core.doctor.Destination;
import dev.ctrnet.core.doctor.Diagnosis;
import dev.ctrnet.core.doctor.Hop;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ctrnet doctor}: walks a container's path hop by hop and names the first broken hop with the command
 * that fixes it. Exit status 0 when every path checked is healthy, {@link #BROKEN} when one is not.
 */
@Command(name = "doctor", description = "Walk a container's path hop by hop; name the first broken hop and its fix.")
final class DoctorCommand implements Callable<Integer> {
    /** The exit status when a path is broken, apart from ctrnet's own failures ({@link Main#FAILED}). */
    static final int BROKEN = 1;

    @Mixin
    HelpOption help;

    @ParentCommand
    Main main;

    @Parameters(arity = "0..1", paramLabel = "CONTAINER",
            description = "the container whose path to check (default: every running one)")
    Optional<String> container = Optional.empty();

    @Option(names = "--to", paramLabel = "ADDR[:PORT]",
            description = "where the path leads: another container, the outside world, or (without CONTAINER)"
                    + " a container's address or a published port of the host")
    Optional<String> to = Optional.empty();

    @Option(names = "--format", description = "table, or json for a JSON array of the paths checked")
    OutputFormat format = OutputFormat.TABLE;

    @Override
    public Integer call() {
        Optional<Destination> destination = to.map(Destination::parse);
        List<Diagnosis> paths = main.runtime().diagnose(container, destination);
        if (format == OutputFormat.JSON) {
            System.out.println(Views.json(paths.stream().map(Views::diagnosis).toList()));
        } else if (paths.isEmpty()) {
            System.out.println("no running container: nothing to check");
        } else {
            paths.forEach(DoctorCommand::print);
        }
        return paths.stream().allMatch(Diagnosis::healthy) ? 0 : BROKEN;
    }

    private static void print(Diagnosis path) {
        System.out.println(path.path());
        for (Hop hop : path.hops()) {
            String status = hop.isBroken() ? "BROKEN" : hop.status().name().toLowerCase(Locale.ROOT);
            System.out.printf("  %-6s  %-24s  %s%n", status, hop.name(), hop.detail());
            hop.fix().ifPresent(fix -> System.out.printf("  %-6s  %-24s  fix: %s%n", "", "", fix));
        }
        System.out.println(path.firstBroken()
                .map(hop -> "broken at " + hop.name() + "; fix: " + hop.fix().orElse("see above"))
                .orElse("healthy: every hop passes"));
        System.out.println();
    }
}
