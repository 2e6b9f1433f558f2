package dev.ctrnet.api.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * What a network namespace holds that a driver could leave behind, as {@code ip -j} and {@code sysctl} list it, a
 * line per object: each link with its kind, master, MTU, MAC, whether it is up, and its addresses; each route the
 * kernel did not derive from an address by itself, in every table; each policy rule; each named namespace; each
 * {@code net.*} sysctl. Left out is what the kernel changes on its own: link states, counters, IPv6 link-local
 * addresses and the routes that follow from addresses, and the connection-tracking count.
 *
 * @param lines one line per object, in the tools' order
 */
public record NamespaceState(List<String> lines) {
    private static final String LINKS = "ip -j -d addr show | jq -c '.[] | {link: .ifname, kind: .linkinfo.info_kind,"
            + " master, mtu, mac: .address, up: (.flags | index(\"UP\") != null), addresses: [.addr_info[]"
            + " | select(.family == \"inet\" or .scope != \"link\") | \"\\(.local)/\\(.prefixlen)\"]}'";
    private static final String ROUTES = "ip -j route show table all | jq -c '.[] | select(.protocol != \"kernel\")'";
    private static final String RULES = "ip -j -4 rule show | jq -c '.[]' && ip -j -6 rule show | jq -c '.[]'";
    private static final String NAMESPACES = "ip -j netns list | jq -c '.[] | .name'";
    private static final String SYSCTLS = "sysctl -a -r '^net\\.' 2>/dev/null | grep -v nf_conntrack_count";

    /** How long the kernel may take to finish what it does in the background. */
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** How many differing lines a failure shows. */
    private static final int SHOWN = 12;

    public NamespaceState {
        lines = List.copyOf(lines);
    }

    /** The state of the test sandbox's own namespace, the host, with the namespaces it names. */
    public static NamespaceState ofHost() {
        return read(Shell::ok, List.of(LINKS, ROUTES, RULES, NAMESPACES, SYSCTLS));
    }

    /** The state of the namespace that {@code shell} runs scripts in, and returns their output. */
    static NamespaceState read(UnaryOperator<String> shell) {
        return read(shell, List.of(LINKS, ROUTES, RULES, SYSCTLS));
    }

    /**
     * Fails unless {@code current} comes to equal {@code expected} within 10 s, naming what is left over and
     * what is missing: the kernel finishes some removals in the background (the veth of a deleted namespace).
     */
    public static void assertReturnsTo(NamespaceState expected, Supplier<NamespaceState> current, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        NamespaceState now = current.get();
        while (!now.equals(expected) && System.nanoTime() < deadline) {
            pause();
            now = current.get();
        }
        if (!now.equals(expected)) {
            fail(what + " is not as it was:\n  left over: " + now.without(expected) + "\n  missing: " + expected.without(now));
        }
    }

    /** The host's links, each with its addresses: the first part of {@link #ofHost}, read alone. */
    static NamespaceState linksOfHost() {
        return read(Shell::ok, List.of(LINKS));
    }

    /**
     * Waits up to 10 s for the host's links to be {@code expected} (see {@link #linksOfHost}) again, and no more: a
     * removal the kernel finishes in the background is then done.
     */
    static void awaitHostLinks(NamespaceState expected) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!linksOfHost().equals(expected) && System.nanoTime() < deadline) {
            pause();
        }
    }

    /** The lines that {@code other} lacks, the first few: a link brings a hundred sysctls of its own with it. */
    private String without(NamespaceState other) {
        List<String> rest = new ArrayList<>(lines);
        rest.removeAll(other.lines);
        return rest.size() <= SHOWN ? rest.toString()
                : rest.subList(0, SHOWN) + " and " + (rest.size() - SHOWN) + " more";
    }

    private static NamespaceState read(UnaryOperator<String> shell, List<String> commands) {
        // one script for all: each tool started is a fork more, and a state is read several times a test
        return new NamespaceState(shell.apply(String.join(" && ", commands)).lines().toList());
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
