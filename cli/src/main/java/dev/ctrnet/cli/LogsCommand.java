package dev.ctrnet.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ctrnet logs NAME}: what a detached container wrote. */
@Command(name = "logs", description = "Show what a detached container wrote to stdout and stderr.")
final class LogsCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @ParentCommand
    Main main;

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() throws Exception {
        Path log = main.runtime().logFile(name);
        if (Files.exists(log)) {
            Files.copy(log, System.out);
            System.out.flush();
        }
        return 0;
    }
}
