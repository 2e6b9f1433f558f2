package dev.ctrnet.api.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.firewall.FirewallZone;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.IpAddresses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A host with three bridge networks and an outside world, built with {@code ip} in the test sandbox
 * (which plays the host):
 * <ul>
 *   <li>{@code ctb0} 10.77.0.1/24 with containers c1 (.2) and c2 (.3);</li>
 *   <li>{@code ctb1} 10.78.0.1/24 with c3 (.2), another network;</li>
 *   <li>{@code ctb2} 10.79.0.1/24 with c4 (.2), an internal network;</li>
 *   <li>the netns "out" behind the uplink {@code up0}: host 198.51.100.1 and .3, outside 198.51.100.2.</li>
 * </ul>
 * Listeners answer with their container's name and port, so a reply says where a connection landed.
 */
public final class Topology implements AutoCloseable {
    /** The zone of {@code ctb0}, where c1 and c2 live. */
    public static final FirewallZone WEB = zone("web", "ctb0", 77, false);
    /** The zone of {@code ctb1}, where c3 lives. */
    public static final FirewallZone OTHER = zone("other", "ctb1", 78, false);
    /** The internal zone of {@code ctb2}, where c4 lives. */
    public static final FirewallZone VAULT = zone("vault", "ctb2", 79, true);

    private final List<Process> listeners = new ArrayList<>();

    /** Builds the topology; {@link #close()} takes it down again. */
    public Topology() {
        Shell.requireSandbox();
        Shell.ok("sysctl -qw net.ipv4.ip_forward=1");
        bridge("ctb0", "10.77.0.1/24");
        bridge("ctb1", "10.78.0.1/24");
        bridge("ctb2", "10.79.0.1/24");
        Shell.ok("sysctl -qw net.ipv4.conf.ctb0.route_localnet=1");
        container("c1", "ctb0", "10.77.0.2", "10.77.0.1");
        container("c2", "ctb0", "10.77.0.3", "10.77.0.1");
        container("c3", "ctb1", "10.78.0.2", "10.78.0.1");
        container("c4", "ctb2", "10.79.0.2", "10.79.0.1");
        Shell.ok("ip netns add ctt-out && ip link add up0 type veth peer name eth0 netns ctt-out"
                + " && ip addr add 198.51.100.1/24 dev up0 && ip addr add 198.51.100.3/24 dev up0 && ip link set up0 up"
                + " && ip -n ctt-out addr add 198.51.100.2/24 dev eth0 && ip -n ctt-out link set eth0 up"
                + " && ip -n ctt-out link set lo up");
    }

    /** Starts a TCP listener in {@code netns} on {@code port} that prints "{@code netns}-{@code port} from {@code peer}" (socat reads a colon as a separator). */
    public void listenTcp(String netns, int port) {
        listen(netns, "TCP-LISTEN:" + port + ",fork,reuseaddr", "echo " + netns + "-" + port + " from $SOCAT_PEERADDR",
                "-Hltn", port);
    }

    /** Starts a UDP responder in {@code netns} on {@code port}. */
    public void listenUdp(String netns, int port) {
        listen(netns, "UDP-RECVFROM:" + port + ",fork,reuseaddr", "echo " + netns + "-" + port, "-Hlun", port);
    }

    /** What a TCP connection from {@code netns} (or the host, for "host") to {@code address:port} answers. */
    public static String tcp(String netns, String address, int port) {
        return Probe.tcp(in(netns), address, port);
    }

    /** What a UDP datagram from {@code netns} to {@code address:port} gets as its answer (see {@link Probe#udp}). */
    public static String udp(String netns, String address, int port) {
        return Probe.udp(in(netns), address, port);
    }

    /** Whether {@code address} answers a ping from {@code netns}, within {@link Probe#PATIENCE}. */
    public static boolean reaches(String netns, String address) {
        return Probe.answersPing(in(netns), address);
    }

    /**
     * Whether one ping from {@code netns} to {@code address} is answered within two seconds: for what must not
     * answer, where waiting longer would only make the test slower; what must answer uses {@link #reaches}.
     */
    public static boolean ping(String netns, String address) {
        List<String> ping = new ArrayList<>(in(netns));
        ping.addAll(List.of("ping", "-c1", "-W2", address));
        return Shell.run(ping).ok();
    }

    @Override
    public void close() {
        listeners.forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        });
        Shell.run("for n in c1 c2 c3 c4 out; do ip netns del ctt-$n; done; ip link del ctb0; ip link del ctb1;"
                + " ip link del ctb2; ip link del up0");
    }

    private void listen(String netns, String address, String reply, String ssFlags, int port) {
        Process listener;
        try {
            // -t: once the question has come (a datagram, or a client's end of input), socat would give the
            // answer only half a second by default, less than a forked shell can take on a loaded machine
            listener = new ProcessBuilder("ip", "netns", "exec", "ctt-" + netns, "socat", "-t" + Probe.PATIENCE, address,
                    "SYSTEM:" + reply)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        listeners.add(listener);
        String bound = "ip netns exec ctt-" + netns + " ss " + ssFlags + " 'sport = :" + port + "' | grep -q .";
        assertTrue(Eventually.holds(() -> !listener.isAlive() || Shell.run(bound).ok()) && listener.isAlive(),
                "listener " + netns + ":" + port + " did not start");
    }

    private static List<String> in(String netns) {
        return netns.equals("host") ? List.of() : List.of("ip", "netns", "exec", "ctt-" + netns);
    }

    private static void bridge(String name, String address) {
        Shell.ok("ip link add " + name + " type bridge && ip addr add " + address + " dev " + name
                + " && ip link set " + name + " up");
    }

    private static void container(String name, String bridge, String address, String gateway) {
        String netns = "ctt-" + name;
        Shell.ok("ip netns add " + netns + " && ip link add v" + name + " type veth peer name eth0 netns " + netns
                + " && ip link set v" + name + " master " + bridge + " && ip link set v" + name + " up"
                // With br_netfilter loaded, a container's hairpin to itself is DNATed while being bridged and
                // must leave through the port it came in on, as Docker's bridge driver also allows.
                + " && ip link set v" + name + " type bridge_slave hairpin on"
                + " && ip -n " + netns + " addr add " + address + "/24 dev eth0 && ip -n " + netns
                + " link set eth0 up && ip -n " + netns + " link set lo up && ip -n " + netns
                + " route add default via " + gateway);
    }

    private static FirewallZone zone(String name, String bridge, int octet, boolean internal) {
        return new FirewallZone(name, bridge, Cidr.parse("10." + octet + ".0.0/24"),
                IpAddresses.parse("10." + octet + ".0.1"), true, internal);
    }
}
