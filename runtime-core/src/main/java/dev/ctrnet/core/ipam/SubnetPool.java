package dev.ctrnet.core.ipam;

import dev.ctrnet.api.kernel.Route;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.core.CtrnetException;
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
