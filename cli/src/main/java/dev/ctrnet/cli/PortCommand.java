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
            String hostIp = p.get("hostIp").toString();
            // an IPv6 address in brackets, as Docker prints it and as a URL needs it: [::1]:8080
            System.out.println(p.get("containerPort") + "/" + p.get("protocol") + " -> "
                    + (hostIp.contains(":") ? "[" + hostIp + "]" : hostIp) + ":" + p.get("hostPort"));
        }
        return 0;
    }
}
