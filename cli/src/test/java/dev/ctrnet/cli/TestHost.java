package dev.ctrnet.cli;

import dev.ctrnet.api.testing.PrivilegedTests;
import dev.ctrnet.api.testing.Probe;
import java.util.List;

/**
 * The sandbox namespace playing "the host", with an uplink to a namespace playing "the outside
 * world": host 198.51.100.1/24 on {@code uplink0}, outside 198.51.100.2/24 (TEST-NET-2), the host's
 * default route through it. Traffic never leaves namespaces the test made.
 */
final class TestHost {
    static final String HOST_IP = "198.51.100.1";
    static final String OUTSIDE_IP = "198.51.100.2";
    static final String OUTSIDE_NS = "outside";
    static final String HOST_IP6 = "2001:db8:100::1";
    static final String OUTSIDE_IP6 = "2001:db8:100::2";

    private TestHost() {}

    /** Builds the uplink and the outside namespace, once per sandbox. */
    static synchronized void ensure() {
        if (!PrivilegedTests.canRun()) {
            throw new AssertionError("end-to-end tests must run in the sandbox (tools/sandbox/bin/java)");
        }
        if (Shell.run(List.of("ip", "link", "show", "uplink0")).exit() == 0) {
            return;
        }
        Shell.sh(String.join(" && ",
                "ip netns add " + OUTSIDE_NS,
                "ip link add uplink0 mtu 1450 type veth peer name eth0 netns " + OUTSIDE_NS,
                "ip addr add " + HOST_IP + "/24 dev uplink0",
                "ip link set uplink0 up",
                "ip route add default via " + OUTSIDE_IP,
                "ip -n " + OUTSIDE_NS + " addr add " + OUTSIDE_IP + "/24 dev eth0",
                "ip -n " + OUTSIDE_NS + " link set eth0 up",
                "ip -n " + OUTSIDE_NS + " link set lo up")).ok();
    }

    /**
     * Gives the uplink IPv6 too, once per sandbox: host {@link #HOST_IP6}/64, outside {@link #OUTSIDE_IP6}/64
     * (documentation addresses, 2001:db8::/32), the host's IPv6 default route through the outside world.
     */
    static synchronized void ensureIpv6() {
        ensure();
        if (Shell.run(List.of("ip", "-6", "addr", "show", "dev", "uplink0")).ok().out().contains(HOST_IP6)) {
            return;
        }
        Shell.sh(String.join(" && ",
                "ip addr add " + HOST_IP6 + "/64 dev uplink0 nodad",
                "ip -n " + OUTSIDE_NS + " addr add " + OUTSIDE_IP6 + "/64 dev eth0 nodad",
                "ip -6 route add default via " + OUTSIDE_IP6)).ok();
    }

    /** Waits until something in the outside world listens on TCP {@code port}. */
    static void awaitListening(int port) {
        boolean listening = Eventually.holds(() ->
                Shell.run(outside("sh", "-c", "ss -ltn | grep -q ':" + port + " '")).exit() == 0);
        if (!listening) {
            throw new AssertionError("nothing listened on " + port + " in the outside world");
        }
    }

    /** Waits until something on the host itself listens on TCP {@code port}. */
    static void awaitListeningOnHost(int port) {
        if (!Eventually.holds(() -> Shell.sh("ss -ltn | grep -q ':" + port + " '").exit() == 0)) {
            throw new AssertionError("nothing listened on " + port + " on the host");
        }
    }

    /**
     * The source address the outside world sees on a TCP connection that a client started with {@code prefix}
     * opens to it, on {@code port}; "" when none arrives.
     */
    static String sourceSeenOutside(List<String> prefix, int port) {
        Process server = Shell.background(outside("socat", "-t" + Probe.PATIENCE, "TCP-LISTEN:" + port + ",reuseaddr,fork",
                "SYSTEM:echo $SOCAT_PEERADDR"));
        try {
            awaitListening(port);
            return tcp(prefix, OUTSIDE_IP, port);
        } finally {
            server.destroyForcibly();
        }
    }

    /**
     * What a TCP server at address:port answers to a client started with {@code prefix}; "" when nothing. An IPv6
     * address is given bare, as {@code 2001:db8::1}.
     */
    static String tcp(List<String> prefix, String address, int port) {
        return Probe.tcp(prefix, address, port);
    }

    /** Runs a command inside the outside world. */
    static List<String> outside(String... command) {
        List<String> cmd = new java.util.ArrayList<>(List.of("ip", "netns", "exec", OUTSIDE_NS));
        cmd.addAll(List.of(command));
        return cmd;
    }
}
