package dev.ctrnet.api.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.kernel.Namespaces;
import dev.ctrnet.api.kernel.NetworkNamespace;
import dev.ctrnet.api.kernel.Programs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A throwaway named network namespace in the test sandbox, kept at {@code /run/netns/NAME} so that {@code ip netns
 * exec NAME} enters it, with probes that run real tools inside it: {@code ping}, and {@code socat} listeners that
 * answer "{@code NAME-PORT from PEER}", so that a reply says where a connection landed and whose address it came
 * from. {@link #close()} stops the listeners and removes the namespace.
 */
public final class Namespace implements AutoCloseable {
    private final String name;
    private final Optional<Namespaces> madeBy;
    private final List<Process> listeners = new ArrayList<>();

    private Namespace(String name, Optional<Namespaces> madeBy) {
        this.name = name;
        this.madeBy = madeBy;
        ok("ip link set lo up");
    }

    /** A new namespace made with {@code ip netns add}, with loopback up. */
    public static Namespace add(String name) {
        Shell.requireSandbox();
        Shell.ok("ip netns add " + name);
        return new Namespace(name, Optional.empty());
    }

    /**
     * A new namespace made by {@code namespaces}, as the runtime makes a container's sandbox, with loopback up. It
     * is removed through {@code namespaces} too: the runtime's primitives keep a socket open in each namespace they
     * work in, which would keep it (and a cable into it) alive after {@code ip netns del}.
     */
    public static Namespace add(String name, Namespaces namespaces) {
        Shell.requireSandbox();
        namespaces.create(Path.of("/run/netns", name));
        return new Namespace(name, Optional.of(namespaces));
    }

    /** Its name, for {@code ip -n NAME} and {@code ip netns exec NAME}. */
    public String name() {
        return name;
    }

    /** The namespace, as a driver is handed it. */
    public NetworkNamespace namespace() {
        return new NetworkNamespace(Path.of("/run/netns", name));
    }

    /** Runs {@code script} with bash inside the namespace. */
    public Programs.Result run(String script) {
        return Shell.run(prefix() + "bash -c '" + script.replace("'", "'\\''") + "'");
    }

    /** Runs {@code script} inside the namespace and fails the test when it exits non-zero; returns its output. */
    public String ok(String script) {
        Programs.Result result = run(script);
        assertTrue(result.ok(), () -> "`" + script + "` in " + name + " failed: " + result.stderr());
        return result.stdout();
    }

    /** What the namespace holds, to compare with what it held before. */
    public NamespaceState state() {
        return NamespaceState.read(this::ok);
    }

    /**
     * Whether {@code address} answers a ping within 5 s: a probe for what must work, which waits for a path that
     * is still being made (a neighbour to resolve, a port to come up) instead of sleeping.
     */
    public boolean reaches(String address) {
        return run("ping -c1 -w5 " + address).ok();
    }

    /**
     * Whether one ping to {@code address} is answered within a second: a probe for what must not work, used only
     * where a {@link #reaches} showed the path could.
     */
    public boolean answersOnePing(String address) {
        return run("ping -c1 -W1 " + address).ok();
    }

    /**
     * Starts a TCP listener on {@code port} that answers "{@code NAME-PORT from PEER}" with the address the
     * connection came from, and waits until it listens.
     */
    public void listen(int port) {
        try {
            listeners.add(new ProcessBuilder("ip", "netns", "exec", name, "socat", "TCP-LISTEN:" + port + ",fork,reuseaddr",
                    "SYSTEM:echo " + name + "-" + port + " from $SOCAT_PEERADDR")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        boolean up = run("for i in $(seq 100); do ss -Hltn \"sport = :" + port + "\" | grep -q . && exit 0;"
                + " sleep 0.05; done; exit 1").ok();
        assertTrue(up, "listener " + name + ":" + port + " did not start");
    }

    /** What a TCP connection from this namespace to {@code address:port} answers; empty when nothing does. */
    public String tcp(String address, int port) {
        return tcp(prefix(), address, port);
    }

    /** What a TCP connection from the host (the test sandbox itself) to {@code address:port} answers. */
    public static String tcpFromHost(String address, int port) {
        return tcp("", address, port);
    }

    @Override
    public void close() {
        listeners.forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        });
        if (madeBy.isPresent()) {
            madeBy.get().delete(namespace());
        } else {
            Shell.run("ip netns del " + name);
        }
    }

    private String prefix() {
        return "ip netns exec " + name + " ";
    }

    private static String tcp(String prefix, String address, int port) {
        // timeouts with headroom: under load an answer can take more than a second to fork and come back
        return Shell.run(prefix + "timeout 5 socat -T3 - TCP:" + address + ":" + port + ",connect-timeout=2 </dev/null")
                .stdout().strip();
    }
}
