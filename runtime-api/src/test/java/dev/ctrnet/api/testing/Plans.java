package dev.ctrnet.api.testing;

import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.firewall.FirewallZone;
import dev.ctrnet.api.firewall.PublishedPort;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.IpAddresses;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Small arbitrary plans for the properties: up to three zones and six ports that never conflict, in the
 * default rule set, another state root's or one with the longest name there can be.
 */
public final class Plans {
    /** Every name a generated plan can have. */
    public static final List<String> NAMES = List.of(GoldenPlan.NAME, GoldenPlan.OTHER_NAME, GoldenPlan.LONGEST_NAME);

    private static final List<FirewallZone> ZONES = List.of(
            zone("alpha", "pb0", 90, true, false),
            zone("beta", "pb1", 91, false, false),
            zone("gamma", "pb2", 92, true, true));

    /** The shapes a published port can take, each written with a host port base it is shifted from. */
    private static final List<String> SHAPES = List.of(
            "%d:80", "%d:53/udp", "198.51.100.1:%d:81", "127.0.0.1:%d:82", "%d-%d:%d-%d", "%d-%d:90-92");

    private Plans() {}

    /** Any subset of the zones. */
    public static Arbitrary<List<FirewallZone>> zones() {
        return Arbitraries.subsetOf(ZONES).map(set -> List.copyOf(set));
    }

    /** Any of the {@link #NAMES}. */
    public static Arbitrary<String> names() {
        return Arbitraries.of(NAMES);
    }

    /** A plan over any zones in any rule set. */
    public static Arbitrary<FirewallPlan> plans() {
        return names().flatMap(Plans::plans);
    }

    /** A plan of rule set {@code name} over any zones. */
    public static Arbitrary<FirewallPlan> plans(String name) {
        return zones().flatMap(zones -> plans(name, zones));
    }

    /** A plan of rule set {@code name} over exactly {@code zones}. */
    public static Arbitrary<FirewallPlan> plans(String name, List<FirewallZone> zones) {
        if (zones.isEmpty()) {
            return Arbitraries.just(new FirewallPlan(name, zones, List.of()));
        }
        Arbitrary<PortSpec> spec = Combinators.combine(
                Arbitraries.integers().between(0, zones.size() - 1),
                Arbitraries.integers().between(2, 5),
                Arbitraries.integers().between(0, SHAPES.size() - 1))
                .as(PortSpec::new);
        // Each port gets its own block of host ports, so no two ever overlap.
        return spec.list().ofMaxSize(6).map(specs -> {
            List<PublishedPort> ports = new ArrayList<>();
            for (int slot = 0; slot < specs.size(); slot++) {
                ports.add(specs.get(slot).port(zones, 10000 + 100 * slot));
            }
            return new FirewallPlan(name, zones, ports);
        });
    }

    /** {@code plan} with one more port, on a host port no generated plan uses. */
    public static FirewallPlan withExtraPort(FirewallPlan plan) {
        FirewallZone zone = plan.zones().get(0);
        String ip = IpAddresses.format(zone.subnet().addressAt(BigInteger.TEN));
        List<PublishedPort> ports = new ArrayList<>(plan.ports());
        ports.add(GoldenPlan.port(zone.network(), "extra", ip, "30000:80"));
        return new FirewallPlan(plan.name(), plan.zones(), ports);
    }

    private record PortSpec(int zone, int host, int shape) {
        PublishedPort port(List<FirewallZone> zones, int base) {
            FirewallZone z = zones.get(zone);
            String ip = IpAddresses.format(z.subnet().addressAt(BigInteger.valueOf(host)));
            String text = String.format(SHAPES.get(shape), base, base + 2, base, base + 2);
            return GoldenPlan.port(z.network(), "c" + host, ip, text);
        }
    }

    private static FirewallZone zone(String name, String bridge, int octet, boolean masquerade, boolean internal) {
        return new FirewallZone(name, bridge, Cidr.parse("10." + octet + ".0.0/24"),
                IpAddresses.parse("10." + octet + ".0.1"), masquerade, internal);
    }
}
