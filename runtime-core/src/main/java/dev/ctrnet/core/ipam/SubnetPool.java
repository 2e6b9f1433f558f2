package dev.ctrnet.core.ipam;

import dev.ctrnet.api.kernel.Route;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.core.CtrnetException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Chooses and checks network subnets: a subnet must not overlap another network's, nor a route the
 * host already has (that would make the host's own traffic go to the containers).
 */
public final class SubnetPool {
    private static final List<Cidr> POOL = pool();

    private SubnetPool() {}

    /**
     * The first subnet of the pool that overlaps nothing.
     *
     * @param taken the subnets of existing networks, by network name
     * @param hostRoutes the host's routes (the default route is ignored)
     */
    public static Cidr choose(Map<String, Cidr> taken, List<Route> hostRoutes) {
        for (Cidr candidate : POOL) {
            if (conflict(candidate, taken, hostRoutes).isEmpty()) {
                return candidate;
            }
        }
        throw new CtrnetException("no free subnet left in ctrnet's pool (172.17-31.0.0/16, 192.168.0-240.0/20);"
                + " pass --subnet");
    }

    /**
     * The first /64 of the state root's IPv6 pool that overlaps no network's IPv6 subnet. The pool is a unique
     * local /48, {@code fdXX:XXXX:XXXX::/48}, its 40 bits taken from a hash of {@code root} as RFC 4193 asks
     * (pseudo-random, so two hosts' pools do not collide), and the same for one root on every run; its /64s are
     * handed out from {@code :1::/64} upward.
     *
     * @param taken the IPv6 subnets of existing networks, by network name
     */
    public static Cidr chooseIpv6(String root, Map<String, Cidr> taken) {
        Cidr pool = ipv6Pool(root);
        for (int n = 1; n <= 0xffff; n++) {
            Cidr candidate = new Cidr(pool.addressAt(BigInteger.valueOf(n).shiftLeft(64)), 64);
            if (conflict(candidate, taken, List.of()).isEmpty()) {
                return candidate;
            }
        }
        throw new CtrnetException("no free IPv6 subnet left in ctrnet's pool " + pool + "; pass an IPv6 --subnet");
    }

    /** The unique local /48 of state root {@code root}. */
    static Cidr ipv6Pool(String root) {
        byte[] hash;
        try {
            hash = MessageDigest.getInstance("SHA-256").digest(root.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        byte[] address = new byte[16];
        address[0] = (byte) 0xfd;
        System.arraycopy(hash, 0, address, 1, 5);
        return new Cidr(IpAddresses.fromNumber(new BigInteger(1, address), 16), 48);
    }

    /** Refuses a subnet that overlaps a network or a host route, naming what it overlaps. */
    public static void check(Cidr subnet, Map<String, Cidr> taken, List<Route> hostRoutes) {
        conflict(subnet.network(), taken, hostRoutes).ifPresent(reason -> {
            throw new CtrnetException("subnet " + subnet.network() + " overlaps " + reason
                    + "; choose another --subnet");
        });
    }

    private static Optional<String> conflict(Cidr subnet, Map<String, Cidr> taken, List<Route> hostRoutes) {
        for (var e : taken.entrySet()) {
            if (e.getValue().overlaps(subnet)) {
                return Optional.of("network " + e.getKey() + " (" + e.getValue().network() + ")");
            }
        }
        for (Route r : hostRoutes) {
            if (!r.isDefault() && r.destination().overlaps(subnet)) {
                return Optional.of("the host's route to " + r.destination()
                        + r.device().map(d -> " on " + d).orElse("")
                        + r.gateway().map(g -> " via " + IpAddresses.format(g)).orElse(""));
            }
        }
        return Optional.empty();
    }

    private static List<Cidr> pool() {
        List<Cidr> out = new ArrayList<>();
        for (int b = 17; b <= 31; b++) {
            out.add(Cidr.parse("172." + b + ".0.0/16"));
        }
        for (int c = 0; c < 256; c += 16) {
            out.add(Cidr.parse("192.168." + c + ".0/20"));
        }
        return List.copyOf(out);
    }
}
