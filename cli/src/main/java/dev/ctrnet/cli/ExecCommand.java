package dev.ctrnet.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ctrnet exec NAME -- CMD}: runs a command inside a running container's namespaces. */
@Command(name = "exec", description = "Run a command in a running container.")
final class ExecCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @ParentCommand
    Main main;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "CMD")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Invocation invocation = main.invocation();
        Process process = main.runtime().exec(name, command, invocation.stdio());
        Invocation.Relayed output = invocation.relay(process);
        int status = process.waitFor();
        output.await();
        return status;
    }
}
