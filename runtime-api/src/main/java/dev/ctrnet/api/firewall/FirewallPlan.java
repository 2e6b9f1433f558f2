package dev.ctrnet.api.firewall;

import dev.ctrnet.api.UserInput;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.Set;

/**
 * The desired state of the firewall: every routed network and every published port, computed by the
 * runtime from its records. Lists are sorted so that equal states are equal plans.
 *
 * @param name the rule set's name, unique per state root: {@code ctrnet} for the default one,
 *     {@code ctrnet-SUFFIX} (1–9 of a-z, 0-9) for others; a
 *     backend names its table or chains after it, so two roots never touch each other's rules
 * @param zones the networks, by name; no two share a host interface ({@link HostInterfaces#overlaps}), since the
 *     firewall could not tell their traffic apart
 * @param ports the published ports, by network, container and host port
 * @param forwardingGuard whether the host may forward only traffic from or to the zones' interfaces: set when
 *     forwarding was off before the runtime turned it on for its networks, so that turning it on opens no
 *     path between the host's other interfaces that was closed before. A backend drops the rest in its
 *     own forward chain and never changes anyone else's rules or policies. It holds for IPv4;
 * @param forwardingGuard6 the same for IPv6, whose forwarding switch is a separate one
 *     ({@code net.ipv6.conf.all.forwarding}) that the runtime turns on for dual-stack networks only
 * @since 2.5 for {@code forwardingGuard6}
 */
public record FirewallPlan(String name, List<FirewallZone> zones, List<PublishedPort> ports, boolean forwardingGuard,
        boolean forwardingGuard6) {
    /** The order of {@link #ports()}: by network, container, protocol and first host port. */
    private static final Comparator<PublishedPort> ORDER = (a, b) -> {
        int c = a.network().compareTo(b.network());
        if (c == 0) {
            c = a.container().compareTo(b.container());
        }
        if (c == 0) {
            c = a.mapping().protocol().compareTo(b.mapping().protocol());
        }
        return c != 0 ? c : Integer.compare(a.mapping().hostPorts().first(), b.mapping().hostPorts().first());
    };

    public FirewallPlan {
        // always prefixed: a bare word could be an nft keyword ("ip", "table"), which nft refuses as a table name
        if (name == null || !name.matches("ctrnet(-[a-z0-9]{1,9})?")) {
            throw new IllegalArgumentException(UserInput.quote(name) + " is not a rule set name: ctrnet or ctrnet-SUFFIX, the suffix"
                    + " 1 to 9 of a-z and 0-9");
        }
        zones = zones.stream().sorted(Comparator.comparing(FirewallZone::network)).toList();
        for (int i = 0; i < zones.size(); i++) {
            for (int j = i + 1; j < zones.size(); j++) {
                FirewallZone a = zones.get(i);
                FirewallZone b = zones.get(j);
                if (a.interfaces().overlaps(b.interfaces())) {
                    throw new IllegalArgumentException("networks " + a.network() + " (" + a.interfaces().describe()
                            + ") and " + b.network() + " (" + b.interfaces().describe() + ") share host interfaces");
                }
            }
        }
        ports = OrderedPorts.of(ports, zones);
    }

    /** A plan without the forwarding guards (see {@link #forwardingGuard()}). */
    public FirewallPlan(String name, List<FirewallZone> zones, List<PublishedPort> ports) {
        this(name, zones, ports, false, false);
    }

    /** A plan without the IPv6 forwarding guard, as before 2.5. */
    public FirewallPlan(String name, List<FirewallZone> zones, List<PublishedPort> ports, boolean forwardingGuard) {
        this(name, zones, ports, forwardingGuard, false);
    }

    /** This plan with the IPv4 forwarding guard on or off. */
    public FirewallPlan withForwardingGuard(boolean guard) {
        return withForwardingGuards(guard, forwardingGuard6);
    }

    /**
     * This plan with the IPv4 and IPv6 forwarding guards on or off.
     *
     * @since 2.5
     */
    public FirewallPlan withForwardingGuards(boolean guard, boolean guard6) {
        return guard == forwardingGuard && guard6 == forwardingGuard6 ? this
                : new FirewallPlan(name, zones, ports, guard, guard6);
    }

    /** The plan with nothing in it, for rule set {@code name}. */
    public static FirewallPlan empty(String name) {
        return new FirewallPlan(name, List.of(), List.of());
    }

    /**
     * The ports of this plan that {@code other} lacks: moving from this plan to {@code other} removes
     * them, and moving back adds them. Costs one pass over each plan, so a backend's delta is built
     * from the few ports that changed, not from every port.
     *
     * <p>Both lists are in one order, so they are walked side by side. A plan made from another by adding or
     * removing a container's ports holds the very same port objects for the rest, which are matched by
     * identity at the cost of a pointer comparison each; only the others are compared by value.
     */
    public List<PublishedPort> portsMissingFrom(FirewallPlan other) {
        List<PublishedPort> theirs = other.ports;
        List<PublishedPort> missing = new ArrayList<>();
        int j = 0;
        for (PublishedPort mine : ports) {
            if (j < theirs.size() && theirs.get(j) == mine) {
                j++;
                continue;
            }
            while (j < theirs.size() && ORDER.compare(theirs.get(j), mine) < 0) {
                j++;
            }
            if (!inRunOf(theirs, j, mine)) {
                missing.add(mine);
            }
        }
        return missing;
    }

    /**
     * Whether {@code sorted} holds {@code port} among the ports of its order key around {@code at}, the
     * first position not before it: ports with one key (one container's port on two host addresses) may
     * stand in any order.
     */
    private static boolean inRunOf(List<PublishedPort> sorted, int at, PublishedPort port) {
        for (int k = at; k < sorted.size() && ORDER.compare(sorted.get(k), port) == 0; k++) {
            if (sorted.get(k).equals(port)) {
                return true;
            }
        }
        for (int k = at - 1; k >= 0 && ORDER.compare(sorted.get(k), port) == 0; k--) {
            if (sorted.get(k).equals(port)) {
                return true;
            }
        }
        return false;
    }

    /**
     * This plan without the ports of container {@code container}; this very plan when it has none. The ports
     * are in order by network and container, so the container's are found by a search in each network's, and
     * the others are copied as they are, neither compared nor checked again: removing a container's ports does
     * not look at every other port.
     *
     * @since 2.6
     */
    public FirewallPlan withoutPortsOf(String container) {
        OrderedPorts rest = ((OrderedPorts) ports).without(container);
        return rest == ports ? this : new FirewallPlan(name, zones, rest, forwardingGuard, forwardingGuard6);
    }

    /**
     * The ports of container {@code container}, in this plan's order; found by a search, as in
     * {@link #withoutPortsOf}.
     *
     * @since 2.6
     */
    public List<PublishedPort> portsOf(String container) {
        return ((OrderedPorts) ports).of(container);
    }

    /**
     * Whether the two plans are of the same rule set and have the same networks and forwarding guard, so
     * only ports differ.
     */
    public boolean sameZones(FirewallPlan other) {
        return name.equals(other.name) && zones.equals(other.zones) && forwardingGuard == other.forwardingGuard
                && forwardingGuard6 == other.forwardingGuard6;
    }

    /**
     * A plan's ports: in {@link #ORDER}, and each on a network of the zones they were checked against. A plan made from another's ports
     * and the same zones ({@link #withoutPortsOf}) takes them as they are, so that its cost does not grow with
     * the ports it keeps; any other list is sorted and checked.
     */
    private static final class OrderedPorts extends AbstractList<PublishedPort> implements RandomAccess {
        private final PublishedPort[] ports;
        private final List<FirewallZone> zones;

        private OrderedPorts(PublishedPort[] ports, List<FirewallZone> zones) {
            this.ports = ports;
            this.zones = zones;
        }

        static OrderedPorts of(List<PublishedPort> ports, List<FirewallZone> zones) {
            if (ports instanceof OrderedPorts ordered && ordered.zones.equals(zones)) {
                return ordered;
            }
            PublishedPort[] sorted = ports.toArray(new PublishedPort[0]);
            Arrays.sort(sorted, ORDER);
            Set<String> networks = new HashSet<>();
            zones.forEach(z -> networks.add(z.network()));
            for (PublishedPort port : sorted) {
                if (!networks.contains(port.network())) {
                    throw new IllegalArgumentException("port " + port.mapping().describe() + " of " + port.container()
                            + " is on network " + port.network() + ", which is not in the plan");
                }
            }
            return new OrderedPorts(sorted, zones);
        }

        /** These ports without {@code container}'s; these very ports when it has none. */
        OrderedPorts without(String container) {
            List<int[]> runs = runsOf(container);
            if (runs.isEmpty()) {
                return this;
            }
            PublishedPort[] rest = new PublishedPort[ports.length - runs.stream().mapToInt(r -> r[1] - r[0]).sum()];
            int from = 0;
            int to = 0;
            for (int[] run : runs) {
                System.arraycopy(ports, from, rest, to, run[0] - from);
                to += run[0] - from;
                from = run[1];
            }
            System.arraycopy(ports, from, rest, to, ports.length - from);
            return new OrderedPorts(rest, zones);
        }

        /** {@code container}'s ports, in this order. */
        List<PublishedPort> of(String container) {
            List<PublishedPort> mine = new ArrayList<>();
            runsOf(container).forEach(run -> mine.addAll(Arrays.asList(ports).subList(run[0], run[1])));
            return List.copyOf(mine);
        }

        /** The runs [from, to) of {@code container}'s ports, one per network that has some, in order. */
        private List<int[]> runsOf(String container) {
            Objects.requireNonNull(container, "container");
            List<int[]> runs = new ArrayList<>();
            for (FirewallZone zone : zones) {
                int from = bound(zone.network(), container, false);
                int to = bound(zone.network(), container, true);
                if (from < to) {
                    runs.add(new int[] {from, to});
                }
            }
            return runs;
        }

        /**
         * The first position whose port is, by network then container, after (network, container), or not before
         * it when {@code after} is false: a container's ports on a network are a run of {@link #ORDER}.
         */
        private int bound(String network, String container, boolean after) {
            int low = 0;
            int high = ports.length;
            while (low < high) {
                int middle = (low + high) >>> 1;
                PublishedPort port = ports[middle];
                int c = port.network().compareTo(network);
                if (c == 0) {
                    c = port.container().compareTo(container);
                }
                if (c < 0 || (after && c == 0)) {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            return low;
        }

        @Override
        public PublishedPort get(int index) {
            return ports[index];
        }

        @Override
        public int size() {
            return ports.length;
        }

        /** As any list's, but lists of different sizes differ at once, and one port object equals itself at once. */
        @Override
        public boolean equals(Object o) {
            if (o == this) {
                return true;
            }
            if (!(o instanceof List<?> other) || other.size() != ports.length) {
                return false;
            }
            int i = 0;
            for (Object theirs : other) {
                PublishedPort mine = ports[i++];
                if (mine != theirs && !mine.equals(theirs)) {
                    return false;
                }
            }
            return true;
        }

        /** Any list's, which {@link #equals} keeps to. */
        @Override
        public int hashCode() {
            return super.hashCode();
        }
    }
}
