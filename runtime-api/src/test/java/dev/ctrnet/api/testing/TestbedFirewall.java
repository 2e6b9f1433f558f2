package dev.ctrnet.api.testing;

import dev.ctrnet.api.Network;
import dev.ctrnet.api.NetworkDriver;
import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.firewall.FirewallZone;
import dev.ctrnet.api.firewall.PublishedPort;
import dev.ctrnet.api.net.PortMapping;
import java.util.List;

/**
 * The firewall plan of a {@link Testbed}, as the runtime's planner computes it from its records: the zone the
 * driver declares for each network, with the host interface of each attachment to it that names one ({@link
 * dev.ctrnet.api.Attachment#hostInterface()}), and the ports published by containers. The one place in the kit that
 * builds firewall values from a driver's, so that a change in how zones are made is made here alone.
 */
public final class TestbedFirewall {
    /** The rule set the driver contracts apply, apart from the runtime's and the backend contracts'. */
    public static final String RULE_SET = "ctrnet-kit";

    private TestbedFirewall() {}

    /** The plan for every network of {@code testbed}, with {@code ports}. */
    public static FirewallPlan plan(Testbed testbed, List<PublishedPort> ports) {
        return new FirewallPlan(RULE_SET, testbed.networks().stream().map(network -> zone(testbed, network)).toList(),
                ports);
    }

    /**
     * The zone of {@code network}: the one its driver declares, behind the host interfaces the driver names and
     * those that the attachments to it made.
     */
    public static FirewallZone zone(Testbed testbed, Network network) {
        NetworkDriver driver = testbed.driver();
        FirewallZone zone = driver.firewallZone(network).orElseThrow(() -> new AssertionError("driver " + driver.name()
                + " declares no firewall zone for network " + network.name()
                + ": the firewall contract is for drivers whose containers the host routes"));
        for (Testbed.Container container : testbed.containers()) {
            if (container.network().equals(network)) {
                zone = container.attachment().hostInterface().map(zone::withInterface).orElse(zone);
            }
        }
        return zone;
    }

    /** {@code container}'s port published as {@code spec}, as {@code -p} takes it ({@code 8080:80}). */
    public static PublishedPort port(Testbed.Container container, String spec) {
        return new PublishedPort(container.network().name(), container.name(),
                container.endpoint().address().orElseThrow().address(), PortMapping.parse(spec));
    }

    /** Whether traffic from {@code container}'s network leaving for the outside is masqueraded. */
    public static boolean masquerades(Testbed testbed, Testbed.Container container) {
        return testbed.driver().firewallZone(container.network()).map(FirewallZone::masquerade).orElse(false);
    }
}
