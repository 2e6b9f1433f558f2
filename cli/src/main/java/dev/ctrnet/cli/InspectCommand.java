package dev.ctrnet.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ctrnet inspect NAME}: the container as one JSON object. */
@Command(name = "inspect", description = "Show a container as JSON.")
final class InspectCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @ParentCommand
    Main main;

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
        System.out.println(Views.json(Views.container(main.runtime().state(name))));
        return 0;
    }
}
