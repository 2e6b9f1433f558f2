package dev.ctrnet.core.dryrun;

import dev.ctrnet.api.kernel.InterfaceAddress;
import dev.ctrnet.api.kernel.Link;
import dev.ctrnet.api.kernel.LinkRequest;
import dev.ctrnet.api.kernel.Namespaces;
import dev.ctrnet.api.kernel.Netlink;
import dev.ctrnet.api.kernel.NetworkNamespace;
import dev.ctrnet.api.kernel.Route;
import dev.ctrnet.api.kernel.Sysctl;
import dev.ctrnet.api.kernel.SysctlKey;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.api.net.MacAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * A host that only answers reads, always the same: a loopback, an uplink {@code uplink0} (MTU 1450) with
 * 198.51.100.1/24 and the default route through it, every sysctl 0. What a dry run may read, and all it may read;
 * any change fails the test.
 */
final class FixedHost implements Namespaces, Sysctl {
    private static final List<Link> LINKS = List.of(
            new Link(1, "lo", Optional.empty(), 65536, Optional.empty(), Optional.empty(), true),
            new Link(2, "uplink0", Optional.of("veth"), 1450, Optional.of(MacAddress.parse("02:00:00:00:00:01")),
                    Optional.empty(), true));

    @Override
    public NetworkNamespace create(Path path) {
        throw new AssertionError("a dry run made a namespace");
    }

    @Override
    public NetworkNamespace open(Path path) {
        return new NetworkNamespace(path);
    }

    @Override
    public void delete(NetworkNamespace namespace) {
        throw new AssertionError("a dry run deleted a namespace");
    }

    @Override
    public <T> T runIn(NetworkNamespace namespace, Callable<T> work) {
        throw new AssertionError("a dry run entered a namespace");
    }

    @Override
    public Netlink netlink(NetworkNamespace namespace) {
        return new ReadOnly(namespace);
    }

    @Override
    public String read(NetworkNamespace namespace, SysctlKey key) {
        return "0";
    }

    @Override
    public void write(NetworkNamespace namespace, SysctlKey key, String value) {
        throw new AssertionError("a dry run wrote sysctl " + key);
    }

    private record ReadOnly(NetworkNamespace namespace) implements Netlink {
        @Override
        public List<Link> listLinks() {
            return LINKS;
        }

        @Override
        public Optional<Link> findLink(String name) {
            return LINKS.stream().filter(l -> l.name().equals(name)).findFirst();
        }

        @Override
        public List<InterfaceAddress> listAddresses() {
            return List.of(new InterfaceAddress(2, Cidr.parse("198.51.100.1/24")));
        }

        @Override
        public List<Route> listRoutes() {
            return List.of(new Route(Cidr.parse("0.0.0.0/0"), Optional.of(IpAddresses.parse("198.51.100.2")),
                    Optional.of("uplink0")));
        }

        @Override
        public void createLink(LinkRequest request) {
            throw changed();
        }

        @Override
        public void deleteLink(String name) {
            throw changed();
        }

        @Override
        public void setUp(String name, boolean up) {
            throw changed();
        }

        @Override
        public void setMaster(String name, String master) {
            throw changed();
        }

        @Override
        public void setMtu(String name, int mtu) {
            throw changed();
        }

        @Override
        public void setMac(String name, MacAddress mac) {
            throw changed();
        }

        @Override
        public void rename(String name, String newName) {
            throw changed();
        }

        @Override
        public void moveToNamespace(String name, NetworkNamespace target) {
            throw changed();
        }

        @Override
        public void setBridgePortIsolated(String name, boolean isolated) {
            throw changed();
        }

        @Override
        public void setBridgePortHairpin(String name, boolean hairpin) {
            throw changed();
        }

        @Override
        public void setIpv6LinkLocal(String name, boolean generate) {
            throw changed();
        }

        @Override
        public void addAddress(String link, Cidr address) {
            throw changed();
        }

        @Override
        public void deleteAddress(String link, Cidr address) {
            throw changed();
        }

        @Override
        public void addRoute(Route route) {
            throw changed();
        }

        @Override
        public void deleteRoute(Route route) {
            throw changed();
        }

        private static AssertionError changed() {
            return new AssertionError("a dry run changed a link, an address or a route");
        }
    }
}
