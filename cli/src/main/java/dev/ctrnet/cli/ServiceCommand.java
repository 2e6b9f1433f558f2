package dev.ctrnet.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code ctrnet service status|stop}: the resident service that keeps the JVM warm. */
@Command(name = "service", description = "Show or stop the ctrnet service (it starts on first use and exits when idle).",
        subcommands = {ServiceCommand.Status.class, ServiceCommand.Stop.class})
final class ServiceCommand {
    @Mixin
    HelpOption help;

    @ParentCommand
    Main main;

    /** Exit status of {@code status} when no service runs, as systemctl's "inactive". */
    static final int NOT_RUNNING = 3;

    /** What {@code service status|stop} say when no service answers, without starting one. */
    static int notRunning(String[] args) {
        return answer(args, "ctrnet service: not running", "not running");
    }

    /**
     * What {@code service status|stop} say when the service that runs declined them: it is of another build or
     * namespace, so it is not this client's service (run in-process, they would say none runs at all).
     */
    static int notRunningForThisClient(String[] args) {
        String why = "a service of another build or namespace runs on this root (it steps down when a newer build"
                + " asks, and exits when idle)";
        return answer(args, "ctrnet service: not running for this ctrnet; " + why, "not running (" + why + ")");
    }

    /** Prints {@code toStop} for {@code service stop}, which then succeeds, or {@code toStatus} for {@code status}. */
    private static int answer(String[] args, String toStop, String toStatus) {
        boolean stop = java.util.List.of(args).contains("stop");
        System.out.println(stop ? toStop : toStatus);
        return stop ? 0 : NOT_RUNNING;
    }

    @Command(name = "status", description = "Say whether the service runs, and since when.")
    static final class Status implements Callable<Integer> {
        @Mixin
        HelpOption help;

        @Override
        public Integer call() {
            return Service.current().map(s -> {
                System.out.println(s.status());
                return 0;
            }).orElseGet(() -> notRunning(new String[] {"status"}));
        }
    }

    @Command(name = "stop", description = "Stop the service once the commands it runs have ended.")
    static final class Stop implements Callable<Integer> {
        @Mixin
        HelpOption help;

        @Override
        public Integer call() {
            return Service.current().map(s -> {
                s.stop();
                System.out.println("ctrnet service: stopping");
                return 0;
            }).orElseGet(() -> notRunning(new String[] {"stop"}));
        }
    }
}
