package dev.ctrnet.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code ctrnet system …}. */
@Command(name = "system", description = "System-wide operations.", subcommands = SystemCommand.Prune.class)
final class SystemCommand {
    @Mixin
    HelpOption help;

    @ParentCommand
    Main main;

    @Command(name = "prune", description = "Reclaim what was left behind: namespace mounts, links, leases, rules.")
    static final class Prune implements Callable<Integer> {
        @Mixin
        HelpOption help;

        @ParentCommand
        SystemCommand parent;

        @Override
        public Integer call() {
            parent.main.runtime().prune().forEach(System.out::println);
            return 0;
        }
    }
}
