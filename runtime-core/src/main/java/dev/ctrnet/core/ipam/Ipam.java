package dev.ctrnet.core.ipam;

import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.core.CtrnetException;
import dev.ctrnet.core.state.FileModes;
import dev.ctrnet.core.state.StateStore;
import java.io.IOException;
import java.math.BigInteger;
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

    private final Path root;

    /** Leases kept under {@code stateRoot/ipam}. */
    public Ipam(Path stateRoot) {
        this.root = stateRoot.resolve("ipam");
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
                        + network + "; choose another --ip");
            }
            return ip;
        }
        BigInteger size = net.size();
        BigInteger start = lastOffset(dir, net).add(BigInteger.ONE);
        for (BigInteger i = BigInteger.ZERO; i.compareTo(size) < 0; i = i.add(BigInteger.ONE)) {
            InetAddress ip = net.addressAt(start.add(i).mod(size));
            if (!reserved(net, gateway, ip) && claim(dir, ip, owner)) {
                StateStore.write(dir.resolve(LAST), Map.of("address", IpAddresses.format(ip)));
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
                if (!name.equals(LAST) && !name.endsWith(".tmp")) {
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
        return edge || ip.equals(gateway);
    }

    private static boolean claim(Path dir, InetAddress ip, String owner) {
        try {
            FileModes.createFolders(dir);
            Files.writeString(FileModes.createPrivateFile(dir.resolve(IpAddresses.format(ip))), owner);
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

    private static BigInteger lastOffset(Path dir, Cidr net) {
        Path last = dir.resolve(LAST);
        if (!Files.exists(last)) {
            return BigInteger.ZERO;
        }
        InetAddress ip = IpAddresses.parse(String.valueOf(StateStore.read(last).get("address")));
        return net.contains(ip) ? net.offsetOf(ip) : BigInteger.ZERO;
    }
}
