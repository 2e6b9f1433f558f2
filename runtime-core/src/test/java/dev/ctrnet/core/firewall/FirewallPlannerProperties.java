package dev.ctrnet.core.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ctrnet.api.Attachment;
import dev.ctrnet.api.Network;
import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.api.net.PortMapping;
import dev.ctrnet.core.container.ContainerRecord;
import dev.ctrnet.core.container.NetworkAttachment;
import dev.ctrnet.core.container.Privileges;
import dev.ctrnet.core.plugin.DriverCatalog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The per-container path computes the next firewall plan from the applied one plus one container's
 * change; it must always equal the plan rebuilt from every record, forwarding guard included, and the host
 * interfaces attachments add to their zones (the containers on {@code front} declare one each).
 */
class FirewallPlannerProperties {
    private static final DriverCatalog CATALOG = DriverCatalog.load(List.of(FirewallPlannerProperties.class.getClassLoader()));
    private static final List<Network> NETWORKS = List.of(
            new Network("front", "a".repeat(64), "bridge", Optional.of(Cidr.parse("10.40.0.0/24")),
                    Optional.of(IpAddresses.parse("10.40.0.1")), false, Map.of("bridge", "brfront")),
            new Network("back", "b".repeat(64), "bridge", Optional.of(Cidr.parse("10.41.0.0/24")),
                    Optional.of(IpAddresses.parse("10.41.0.1")), true, Map.of("bridge", "brback")),
            new Network("none", "c".repeat(64), "none", Optional.empty(), Optional.empty(), false, Map.of()));

    /** Add container i on network n with k ports (true), or remove the i-th living container (false). */
    record Step(boolean add, int pick, int network, int ports) {}

    @Provide
    Arbitrary<List<Step>> histories() {
        return net.jqwik.api.Combinators.combine(Arbitraries.of(true, true, false), Arbitraries.integers().between(0, 20),
                Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 3)).as(Step::new)
                .list().ofMaxSize(40);
    }

    @Property(tries = 300)
    void incrementalPlanEqualsTheRebuiltOne(@ForAll("histories") List<Step> history, @ForAll boolean forwardingGuard) {
        List<ContainerRecord> living = new ArrayList<>();
        FirewallPlan applied = FirewallPlanner.plan("ctrnet", NETWORKS, living, CATALOG, forwardingGuard);
        int serial = 0;
        for (Step s : history) {
            if (s.add()) {
                ContainerRecord c = container("c" + serial, serial, NETWORKS.get(s.network()), s.ports());
                serial++;
                living.add(c);
                applied = FirewallPlanner.withContainer(applied, c);
            } else if (!living.isEmpty()) {
                ContainerRecord gone = living.remove(s.pick() % living.size());
                applied = FirewallPlanner.withoutContainer(applied, gone);
            }
            assertEquals(FirewallPlanner.plan("ctrnet", NETWORKS, living, CATALOG, forwardingGuard), applied);
        }
    }

    private static ContainerRecord container(String name, int serial, Network network, int portCount) {
        List<PortMapping> ports = new ArrayList<>();
        for (int p = 0; p < portCount; p++) {
            ports.add(PortMapping.parse((10000 + serial * 10 + p) + ":80"));
        }
        Attachment attachment = network.subnet()
                .map(s -> new Attachment(Optional.of("eth0"), Optional.of(new Cidr(s.addressAt(java.math.BigInteger.valueOf(2 + serial)),
                        s.prefixLength())), network.gateway(), Optional.empty(), true, Map.of()))
                .map(a -> network.name().equals("front") ? a.withHostInterface("hv" + serial) : a)
                .orElse(Attachment.none());
        return new ContainerRecord(name, String.format("%064x", serial), "2026-01-01T00:00:00Z", List.of("true"), name,
                Optional.empty(), Map.of(), ports, Optional.of(Path.of("/run/x/" + serial)), Path.of("/run/u/" + serial),
                List.of(new NetworkAttachment(network.name(), "eth0", attachment)), 0, 0, true, false,
                new ContainerRecord.ProcessId(1, 1), Privileges.dockerDefaults());
    }
}
