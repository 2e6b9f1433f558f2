package dev.ctrnet.cli;

import dev.ctrnet.api.UserInput;
import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.api.net.PortMapping;
import dev.ctrnet.core.Runtime;
import dev.ctrnet.core.container.AutoRemoval;
import dev.ctrnet.core.container.CommandNotStarted;
import dev.ctrnet.core.container.ContainerRecord;
import dev.ctrnet.core.container.ContainerSpec;
import dev.ctrnet.core.container.ContainerState;
import dev.ctrnet.core.container.Privileges;
import dev.ctrnet.core.container.StartedContainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ctrnet run}: creates a container, starts it, and (in the foreground) waits for it. */
@Command(name = "run", description = "Run a command in a new container.")
final class RunCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    /** How long a foreground container may take to end after Ctrl-C or SIGTERM before it is killed. */
    private static final int STOP_GRACE_SECONDS = 2;

    @ParentCommand
    Main main;

    @Option(names = {"-d", "--detach"}, description = "run in the background and print the container's name")
    boolean detach;

    @Option(names = "--rm", description = "remove the container when it exits")
    boolean remove;

    @Option(names = "--name", description = "the container's name")
    Optional<String> name = Optional.empty();

    @Option(names = "--network", defaultValue = "bridge", description = "bridge (default), host, none or a network's name")
    String network;

    @Option(names = {"-p", "--publish"}, paramLabel = "[HOST_IP:]HOST_PORT:CONTAINER_PORT[/PROTO]",
            description = "publish a container's port(s) on the host")
    List<String> publish = new ArrayList<>();

    @Option(names = "--ip", description = "the container's address on its network")
    Optional<String> ip = Optional.empty();

    @Option(names = "--ip6", description = "the container's IPv6 address on its network (one created with --ipv6)")
    Optional<String> ip6 = Optional.empty();

    @Option(names = "--network-alias", paramLabel = "ALIAS",
            description = "another name the container answers to on its (user-defined) network")
    List<String> aliases = new ArrayList<>();

    @Option(names = {"-h", "--hostname"}, description = "the container's host name")
    Optional<String> hostname = Optional.empty();

    @Option(names = "--rootfs", paramLabel = "DIR", description = "confine the container to DIR")
    Optional<Path> rootfs = Optional.empty();

    @Option(names = {"-e", "--env"}, paramLabel = "KEY=VALUE", description = "set an environment variable")
    List<String> env = new ArrayList<>();

    @Option(names = "--cap-add", paramLabel = "CAP", description = "give the container a capability (Docker's names, or ALL)")
    List<String> capAdd = new ArrayList<>();

    @Option(names = "--cap-drop", paramLabel = "CAP", description = "take a capability from the container (Docker's names, or ALL)")
    List<String> capDrop = new ArrayList<>();

    @Option(names = "--privileged", description = "keep every capability and allow gaining privileges (no no_new_privs)")
    boolean privileged;

    @Mixin
    DryRunOption dryRun;

    @Parameters(arity = "1..*", paramLabel = "CMD", description = "the command and its arguments (after --)")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        List<PortMapping> ports = publish.stream().map(PortMapping::parse).toList();
        Map<String, String> environment = new LinkedHashMap<>();
        for (String e : env) {
            int eq = e.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("-e " + UserInput.quote(e) + " is not KEY=VALUE");
            }
            environment.put(e.substring(0, eq), e.substring(eq + 1));
        }
        ContainerSpec spec = new ContainerSpec(name, network, ports, ip.map(IpAddresses::parse), hostname,
                rootfs.map(main.invocation()::resolve), environment, command, detach, remove,
                Privileges.of(privileged, capAdd, capDrop), ip6.map(IpAddresses::parse), aliases);
        Runtime runtime = main.runtime();
        if (dryRun.enabled) {
            return dryRun.print(runtime, "ctrnet run", dry -> {
                ContainerRecord planned = dry.runtime().create(spec);
                dry.note("not part of the dry run: the container's process (" + String.join(" ", command) + ") starts in"
                        + " the namespaces above, with mount, PID and IPC namespaces of its own; ctrnet starts it from a"
                        + " prepared thread, not with a command" + (detach ? "" : ", and waits for it")
                        + (remove ? "; --rm then removes " + planned.name() + " as ctrnet rm --dry-run shows" : ""));
            });
        }
        ContainerRecord container = runtime.create(spec);
        if (detach) {
            // the service outlives the container, so it is its monitor; in-process, a monitor process is
            Optional<Service> service = Service.current();
            ContainerState state;
            if (service.isPresent()) {
                StartedContainer started = runtime.startDetachedChild(container);
                service.get().monitor(runtime.config(), started);
                state = started.state();
            } else {
                state = runtime.startDetached(container, AutoRemoval.BY_MONITOR);
            }
            System.out.println(state.record().name());
            return 0;
        }
        return foreground(runtime, container);
    }

    /**
     * Runs attached to the user's terminal. Ctrl-C or SIGTERM (in-process: a JVM shutdown; through the
     * service: a message from the client) stop the container (and, with --rm, remove it) first.
     */
    private int foreground(Runtime runtime, ContainerRecord created) throws InterruptedException {
        Invocation invocation = main.invocation();
        Process process;
        try {
            process = runtime.startForeground(created, invocation.stdio());
        } catch (CommandNotStarted e) {
            // as Docker does: one line, and the status a shell gives a command it cannot run
            Main.printError(e.getMessage());
            new ForegroundEnd(runtime, created.name(), null, remove).finish(e.status());
            return e.status();
        } catch (RuntimeException e) {
            if (remove) {
                runtime.remove(created.name(), true);
            }
            throw e;
        }
        Invocation.Relayed output = invocation.relay(process);
        ForegroundEnd end = new ForegroundEnd(runtime, created.name(), process, remove);
        int status;
        try (Invocation.Interrupts.Registration signals = invocation.interrupts().onInterrupt(end::onSignal)) {
            status = process.waitFor();
            output.await();
        }
        end.finish(status);
        return status;
    }

    /** Ends a foreground container exactly once, whether it exited or a signal came first. */
    private static final class ForegroundEnd {
        private final Runtime runtime;
        private final String name;
        private final Process process;
        private final boolean remove;
        private boolean done;

        ForegroundEnd(Runtime runtime, String name, Process process, boolean remove) {
            this.runtime = runtime;
            this.name = name;
            this.process = process;
            this.remove = remove;
        }

        void onSignal() {
            if (process.isAlive()) {
                runtime.stop(name, STOP_GRACE_SECONDS);
                try {
                    process.waitFor(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            finish(process.isAlive() ? 137 : process.exitValue());
        }

        synchronized void finish(int status) {
            if (done) {
                return;
            }
            done = true;
            if (remove) {
                runtime.remove(name, true);
            } else {
                runtime.recordExit(runtime.state(name).record(), status);
            }
        }
    }
}
