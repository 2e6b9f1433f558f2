package dev.ctrnet.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ctrnet rm [-f] NAME...}: removes containers and everything made for them. */
@Command(name = "rm", description = "Remove containers.")
final class RmCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @ParentCommand
    Main main;

    @Option(names = {"-f", "--force"}, description = "stop a running container first")
    boolean force;

    @Mixin
    DryRunOption dryRun;

    @Parameters(arity = "1..*", paramLabel = "NAME")
    List<String> names = new ArrayList<>();

    @Override
    public Integer call() {
        if (dryRun.enabled) {
            return dryRun.each(main.runtime(), "ctrnet rm", names, (runtime, name) -> runtime.remove(name, force));
        }
        return Main.eachName(names, name -> main.runtime().remove(name, force));
    }
}
