package dev.ctrnet.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ctrnet port NAME}: one line per published port, {@code 80/tcp -> 0.0.0.0:8080}. */
@Command(name = "port", description = "List a container's published ports.")
final class PortCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @ParentCommand
    Main main;

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
        for (var p : Views.ports(main.runtime().state(name).record().ports())) {
            System.out.println(p.get("containerPort") + "/" + p.get("protocol") + " -> " + p.get("hostIp") + ":"
                    + p.get("hostPort"));
        }
        return 0;
    }
}
