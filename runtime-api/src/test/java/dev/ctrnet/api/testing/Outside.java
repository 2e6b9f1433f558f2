package dev.ctrnet.api.testing;

/**
 * The outside world of the test sandbox (which plays the host): a namespace {@code ctk-out} behind the host's
 * uplink {@value #UPLINK}, a veth pair. The host is {@value #HOST_ADDRESS}/24 on the uplink, the outside
 * {@value #ADDRESS}/24, and the outside routes the kit's container subnets ({@value #CONTAINER_SUBNETS}) via the
 * host, as a neighbour that knows of them would: traffic from a container that is routed without NAT gets its
 * answer too. A driver whose containers join the uplink's segment (as macvlan's join their parent's) finds the
 * outside on that segment.
 */
public final class Outside implements AutoCloseable {
    /** The host's interface towards the outside. */
    public static final String UPLINK = "ctk-up0";
    /** The host's address on the uplink. */
    public static final String HOST_ADDRESS = "198.51.100.1";
    /** The outside's address. */
    public static final String ADDRESS = "198.51.100.2";
    /** The uplink's subnet. */
    public static final String SUBNET = "198.51.100.0/24";
    /** Where the kit puts the networks of drivers that the host routes for. */
    public static final String CONTAINER_SUBNETS = "192.0.2.0/24";

    private final Namespace namespace;

    /** Builds the outside; {@link #close()} takes it down again. */
    public Outside() {
        namespace = Namespace.add("ctk-out");
        Shell.ok("ip link add " + UPLINK + " type veth peer name eth0 netns ctk-out"
                + " && ip addr add " + HOST_ADDRESS + "/24 dev " + UPLINK + " && ip link set " + UPLINK + " up");
        namespace.ok("ip addr add " + ADDRESS + "/24 dev eth0 && ip link set eth0 up"
                + " && ip route add " + CONTAINER_SUBNETS + " via " + HOST_ADDRESS);
    }

    /** The outside's namespace, to probe from and to listen in. */
    public Namespace namespace() {
        return namespace;
    }

    @Override
    public void close() {
        namespace.close();
        Shell.run("ip link del " + UPLINK);
    }
}
