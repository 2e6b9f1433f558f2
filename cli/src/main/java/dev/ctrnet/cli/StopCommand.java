package dev.ctrnet.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ctrnet stop NAME...}: SIGTERM, then SIGKILL after the timeout. */
@Command(name = "stop", description = "Stop running containers.")
final class StopCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @ParentCommand
    Main main;

    @Option(names = {"-t", "--time"}, description = "seconds to wait before killing (default 10)")
    int seconds = 10;

    @Parameters(arity = "1..*", paramLabel = "NAME")
    List<String> names = new ArrayList<>();

    @Override
    public Integer call() {
        return Main.eachName(names, name -> main.runtime().stop(name, seconds));
    }
}
