package dev.ctrnet.core.topology;

import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.PortMapping;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the host's container networking looks like, as the tutorials draw it: the host and its uplink, each
 * network's bridge, each container's cable (a veth pair) and address, and the published ports. A plain value
 * built from the state and what the kernel reports, so that pictures of it can be drawn (and tested) without
 * a kernel.
 *
 * @param uplink the host's way to the outside world
 * @param forwarding whether the host routes between its interfaces ({@code net.ipv4.ip_forward})
 * @param natBackend the NAT backend in use, or empty when none works here
 * @param networks the networks, by name
 */
public record Topology(Uplink uplink, boolean forwarding, Optional<String> natBackend, List<Net> networks) {
    public Topology {
        Objects.requireNonNull(uplink, "uplink");
        Objects.requireNonNull(natBackend, "natBackend");
        networks = List.copyOf(networks);
    }

    /** Whether a link is there, and up. */
    public enum LinkState {
        UP,
        DOWN,
        MISSING
    }

    /**
     * A link of the host.
     *
     * @param name its name
     * @param state whether it is there and up
     */
    public record Device(String name, LinkState state) {
        public Device {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(state, "state");
        }
    }

    /**
     * The host's default route.
     *
     * @param device the link it leaves by, if the host has a default route
     * @param addresses that link's addresses
     * @param gateway the next hop, if the route has one
     */
    public record Uplink(Optional<String> device, List<Cidr> addresses, Optional<InetAddress> gateway) {
        public Uplink {
            Objects.requireNonNull(device, "device");
            addresses = List.copyOf(addresses);
            Objects.requireNonNull(gateway, "gateway");
        }

        /** A host without a default route. */
        public static Uplink none() {
            return new Uplink(Optional.empty(), List.of(), Optional.empty());
        }
    }

    /**
     * One network.
     *
     * @param name its name
     * @param driver its driver
     * @param bridge the host link its containers are behind (a bridge), for a routed network
     * @param subnet its subnet, when it has addresses
     * @param gateway the host's address on it
     * @param internal whether it is cut off from the outside world
     * @param masquerade whether what leaves it for the world is masqueraded
     * @param members the containers (and processes) attached, by name
     */
    public record Net(String name, String driver, Optional<Device> bridge, Optional<Cidr> subnet,
            Optional<InetAddress> gateway, boolean internal, boolean masquerade, List<Member> members) {
        public Net {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(driver, "driver");
            Objects.requireNonNull(bridge, "bridge");
            Objects.requireNonNull(subnet, "subnet");
            Objects.requireNonNull(gateway, "gateway");
            members = List.copyOf(members);
        }
    }

    /**
     * A container's (or a connected process's) place on one network.
     *
     * @param name the container's name, or {@code pid:N} for a process
     * @param running whether it runs
     * @param interfaceName its interface on the network ({@code eth0}), if the driver made one
     * @param address that interface's address
     * @param hostEnd the host's end of its cable (the veth peer), if the driver made one
     * @param ports the ports published to it on this network
     */
    public record Member(String name, boolean running, Optional<String> interfaceName, Optional<Cidr> address,
            Optional<Device> hostEnd, List<PortMapping> ports) {
        public Member {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(interfaceName, "interfaceName");
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(hostEnd, "hostEnd");
            ports = List.copyOf(ports);
        }
    }
}
