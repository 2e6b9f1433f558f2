package dev.ctrnet.core.ipam;

import dev.ctrnet.api.Attachment;
import dev.ctrnet.api.Network;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.core.CtrnetException;
import dev.ctrnet.core.state.FileModes;
import dev.ctrnet.core.state.StateStore;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.net.InetAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Address leases, persistent, one file per leased address ({@code ROOT/ipam/NETWORK/ADDRESS} holding
 * the container's id), as CNI's host-local plugin does. Creating the file exclusively is the
 * allocation, so two processes can never lease the same address, and the cost of one allocation does
 * not depend on how many leases exist: the search starts after the last address handed out.
 */
public final class Ipam {
    private static final String LAST = "last";
    /** IPv6 has its own: one shared file would send each family's search back to the start of its subnet. */
    private static final String LAST6 = "last6";

    private final Path root;

    /** Leases kept under {@code stateRoot/ipam}. */
    public Ipam(Path stateRoot) {
        this.root = stateRoot.resolve("ipam");
    }

    /**
     * The addresses leased to {@code owner} on a network: IPv4, and IPv6 too on a dual-stack one.
     *
     * @param address the IPv4 address, with the subnet's prefix length
     * @param address6 the IPv6 address, with the IPv6 subnet's prefix length
     */
    public record Lease(Cidr address, Optional<Cidr> address6) {}

    /**
     * Leases {@code owner} an address of {@code network}'s subnet and, when it is dual-stack, one of its IPv6
     * subnet: {@code ip} and {@code ip6} when given. Nothing stays leased when either fails.
     *
     * @throws CtrnetException as {@link #allocate} does, and when {@code ip6} is asked of a network without IPv6
     */
    public Lease lease(Network network, String owner, Optional<InetAddress> ip, Optional<InetAddress> ip6) {
        if (ip6.isPresent() && !network.ipv6()) {
            throw new CtrnetException("--ip6 needs a network with IPv6; network " + network.name() + " has none (create"
                    + " one with --ipv6)");
        }
        Cidr subnet = network.subnet().orElseThrow();
        Cidr address = new Cidr(allocate(network.name(), subnet, network.gateway().orElseThrow(), owner, ip),
                subnet.prefixLength());
        try {
            Optional<Cidr> address6 = network.subnet6().map(subnet6 -> new Cidr(allocate(network.name(), subnet6,
                    network.gateway6().orElseThrow(), owner, ip6), subnet6.prefixLength()));
            return new Lease(address, address6);
        } catch (RuntimeException e) {
            release(network.name(), address.address(), owner);
            throw e;
        }
    }

    /** Gives back the addresses of {@code lease}. */
    public void release(String network, Lease lease, String owner) {
        release(network, lease.address().address(), owner);
        lease.address6().ifPresent(a -> release(network, a.address(), owner));
    }

    /** Gives back the addresses of what a driver made, if {@code owner} holds them. */
    public void release(String network, Attachment attachment, String owner) {
        attachment.address().ifPresent(a -> release(network, a.address(), owner));
        attachment.address6().ifPresent(a -> release(network, a.address(), owner));
    }

    /**
     * Leases an address of {@code subnet} to {@code owner}: {@code requested} when given, otherwise the
     * next free one. Never the network address, the broadcast address or the gateway.
     *
     * @throws CtrnetException when the requested address is outside the subnet, reserved or taken, or
     *     when the subnet is full
     */
    public InetAddress allocate(String network, Cidr subnet, InetAddress gateway, String owner,
            Optional<InetAddress> requested) {
        Path dir = dir(network);
        Cidr net = subnet.network();
        if (requested.isPresent()) {
            InetAddress ip = requested.get();
            if (!net.contains(ip)) {
                throw new CtrnetException("address " + IpAddresses.format(ip) + " is outside network " + network
                        + "'s subnet " + net);
            }
            if (reserved(net, gateway, ip)) {
                throw new CtrnetException("address " + IpAddresses.format(ip) + " is reserved in network " + network
                        + " (network, broadcast or gateway address)");
            }
            if (!claim(dir, ip, owner)) {
                throw new CtrnetException("address " + IpAddresses.format(ip) + " is already in use on network "
                        + network + "; choose another " + (net.isIpv4() ? "--ip" : "--ip6"));
            }
            return ip;
        }
        BigInteger size = net.size();
        String last = net.isIpv4() ? LAST : LAST6;
        BigInteger start = lastOffset(dir.resolve(last), net).add(BigInteger.ONE);
        for (BigInteger i = BigInteger.ZERO; i.compareTo(size) < 0; i = i.add(BigInteger.ONE)) {
            InetAddress ip = net.addressAt(start.add(i).mod(size));
            if (!reserved(net, gateway, ip) && claim(dir, ip, owner)) {
                StateStore.write(dir.resolve(last), Map.of("address", IpAddresses.format(ip)));
                return ip;
            }
        }
        throw new CtrnetException("network " + network + " has no free address left in " + net
                + "; remove containers or create a network with a larger subnet");
    }

    /** Gives back {@code address}, if {@code owner} holds it. */
    public void release(String network, InetAddress address, String owner) {
        Path lease = dir(network).resolve(IpAddresses.format(address));
        if (owner(lease).filter(owner::equals).isPresent()) {
            StateStore.delete(lease);
        }
    }

    /** Every lease of {@code network}: address → owner. */
    public Map<InetAddress, String> leases(String network) {
        Map<InetAddress, String> out = new LinkedHashMap<>();
        Path dir = dir(network);
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                String name = p.getFileName().toString();
                if (!name.equals(LAST) && !name.equals(LAST6) && !name.endsWith(".tmp")) {
                    owner(p).ifPresent(o -> out.put(IpAddresses.parse(name), o));
                }
            }
        } catch (IOException e) {
            throw new CtrnetException("cannot read leases in " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Forgets every lease of a removed network. */
    public void deleteNetwork(String network) {
        StateStore.deleteTree(dir(network));
    }

    private Path dir(String network) {
        return root.resolve(network);
    }

    private static boolean reserved(Cidr net, InetAddress gateway, InetAddress ip) {
        boolean edge = net.isIpv4() && net.prefixLength() < 31
                && (ip.equals(net.networkAddress()) || ip.equals(net.lastAddress()));
        // IPv6 has no broadcast, but its first address is the subnet-router anycast address (RFC 4291)
        return edge || ip.equals(gateway) || (!net.isIpv4() && ip.equals(net.networkAddress()));
    }

    private static boolean claim(Path dir, InetAddress ip, String owner) {
        try {
            FileModes.createFolders(dir);
            FileModes.writeNewPrivate(dir.resolve(IpAddresses.format(ip)), owner.getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw new CtrnetException("cannot write a lease in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Optional<String> owner(Path lease) {
        try {
            return Optional.of(Files.readString(lease).trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static BigInteger lastOffset(Path last, Cidr net) {
        if (!Files.exists(last)) {
            return BigInteger.ZERO;
        }
        InetAddress ip = IpAddresses.parse(String.valueOf(StateStore.read(last).get("address")));
        return net.contains(ip) ? net.offsetOf(ip) : BigInteger.ZERO;
    }
}
