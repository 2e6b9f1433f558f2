package dev.ctrnet.core.proxy;

import dev.ctrnet.api.kernel.Programs;
import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.api.net.Protocol;
import dev.ctrnet.core.CrashPoint;
import dev.ctrnet.core.CtrnetException;
import dev.ctrnet.core.container.ProcessTable;
import dev.ctrnet.core.kernel.BoundSockets;
import dev.ctrnet.core.state.FileModes;
import dev.ctrnet.core.state.StateStore;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One published port of a container on a dual-stack network, answered on {@code [::1]} by a userland proxy
 * (a {@code socat} in the host's namespace), as Docker's docker-proxy does: the kernel's DNAT cannot serve
 * {@code ::1}, since the container's reply, turned back to {@code ::1} by conntrack, arrives on the bridge
 * and IPv6 drops a packet for {@code ::1} that does not arrive on {@code lo} (there is no
 * {@code route_localnet} for IPv6).
 *
 * <p>It leads a session of its own (a terminal's Ctrl-C does not reach it), keeps none of ctrnet's
 * descriptors (the JDK closes them in a child), and is found again through its pid file, checked against
 * its arguments so that a reused PID is never killed.
 *
 * @param folder the container's proxies' folder, which holds this one's pid file and error output
 * @param protocol tcp or udp
 * @param hostPort the port it listens on, on {@code [::1]}
 * @param target the container's IPv6 address
 * @param targetPort the container's port
 */
public record LoopbackProxy(Path folder, Protocol protocol, int hostPort, InetAddress target, int targetPort) {
    /** How long a proxy may take to bind its port. */
    private static final Duration READY = Duration.ofSeconds(5);

    public LoopbackProxy {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(target, "target");
        if (!(target instanceof Inet6Address)) {
            throw new IllegalArgumentException("a loopback proxy forwards to an IPv6 address, not " + target);
        }
    }

    /** Its pid file. */
    public Path pidFile() {
        return folder.resolve(protocol.id() + "-" + hostPort + ".pid");
    }

    /** What {@code socat} is run with. */
    public List<String> command() {
        String to = "[" + IpAddresses.format(target) + "]:" + targetPort;
        return List.of("socat", listen(protocol, hostPort), (protocol == Protocol.TCP ? "TCP6:" : "UDP6-SENDTO:") + to);
    }

    /** socat's first address: where it listens. */
    private static String listen(Protocol protocol, int port) {
        return protocol == Protocol.TCP
                ? "TCP6-LISTEN:" + port + ",bind=[::1],reuseaddr,fork"
                : "UDP6-RECVFROM:" + port + ",bind=[::1],fork";
    }

    /** {@code [::1]:8080/tcp -> [fd00:…]:80}, for logs and dry runs. */
    public String describe() {
        return "[::1]:" + hostPort + "/" + protocol.id() + " -> [" + IpAddresses.format(target) + "]:" + targetPort;
    }

    /**
     * Starts it and returns once its port is bound. A shell starts it in the background, so that it is no
     * child of this process (a long-lived service would otherwise have to reap it), with {@code setsid}.
     */
    public void start(Programs programs) {
        Path errors = errorFile();
        try {
            FileModes.createFolders(folder);
        } catch (IOException e) {
            throw new CtrnetException("cannot make " + folder + ": " + e.getMessage(), e);
        }
        // the files and the command as the shell's own arguments, never in its script: a state root's path
        // may hold spaces or quotes
        List<String> shell = new ArrayList<>(List.of("sh", "-c",
                "errors=$1 pids=$2; shift 2; setsid \"$@\" </dev/null >/dev/null 2>\"$errors\" & echo $! >\"$pids\"",
                "sh", errors.toString(), pidFile().toString()));
        shell.addAll(command());
        Programs.Result started = programs.run(shell, "");
        if (!started.ok()) {
            throw new CtrnetException("cannot start the proxy for " + describe() + ": " + started.stderr().strip());
        }
        // the shell may exit before its child has become socat, so until the port is bound the pid file's
        // process is known by its PID alone (that it ends and its PID is reused within these milliseconds is
        // not a real risk)
        Optional<ProcessHandle> process = read(pidFile()).flatMap(ProcessHandle::of);
        long deadline = System.nanoTime() + READY.toNanos();
        while (!bound()) {
            if (process.filter(ProcessHandle::isAlive).isEmpty() || System.nanoTime() > deadline) {
                String why = lastLine(errors);
                halt(process.map(ProcessHandle::pid));
                stop();
                throw new CtrnetException("the proxy for " + describe() + " could not start: " + why);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                halt(process.map(ProcessHandle::pid));
                stop();
                throw new CtrnetException("interrupted while the proxy for " + describe() + " started", e);
            }
        }
        CrashPoint.changed();
    }

    /** Stops it, if it runs, with the children it forked for connections, and removes its files. */
    public void stop() {
        halt(pid());
        StateStore.delete(pidFile());
        StateStore.delete(errorFile());
        CrashPoint.changed();
    }

    /**
     * Stops the proxy whose pid file is {@code pidFile} (named {@code PROTOCOL-PORT.pid}) when the process it
     * names listens as such a proxy: for the proxies of a container whose record is gone.
     */
    public static void stopByPidFile(Path pidFile) {
        String[] name = pidFile.getFileName().toString().replaceFirst("\\.pid$", "").split("-");
        try {
            String listen = listen(Protocol.parse(name[0]), Integer.parseInt(name[1]));
            halt(read(pidFile).filter(pid -> ProcessTable.arguments(pid)
                    .filter(args -> args.size() == 3 && args.get(0).equals("socat") && args.get(1).equals(listen))
                    .isPresent()));
            CrashPoint.changed();
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            // not a proxy's pid file: nothing to stop
        }
    }

    private static void halt(Optional<Long> pid) {
        pid.flatMap(ProcessHandle::of).ifPresent(process -> {
            List<ProcessHandle> children = process.descendants().toList();
            process.destroy();
            children.forEach(ProcessHandle::destroy);
            if (!ProcessTable.awaitEnd(process, 0, Duration.ofSeconds(2))) {
                process.destroyForcibly();
                ProcessTable.awaitEnd(process, 0, Duration.ofSeconds(2));
            }
        });
    }

    /** Whether it runs: the process its pid file names, with its arguments. */
    public boolean running() {
        return pid().isPresent();
    }

    private Optional<Long> pid() {
        return read(pidFile()).filter(pid -> ProcessTable.arguments(pid).filter(command()::equals).isPresent());
    }

    private static Optional<Long> read(Path pidFile) {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty(); // never started, or stopped
        }
    }

    private Path errorFile() {
        return folder.resolve(protocol.id() + "-" + hostPort + ".err");
    }

    private boolean bound() {
        InetAddress loopback = IpAddresses.parse("::1");
        return BoundSockets.holding(protocol, hostPort, hostPort).stream()
                .anyMatch(s -> s.getAddress().equals(loopback));
    }

    private static String lastLine(Path file) {
        try {
            return Files.readString(file).strip().lines().reduce((a, b) -> b).orElse("it ended without a word");
        } catch (IOException e) {
            return "it ended without a word";
        }
    }
}
