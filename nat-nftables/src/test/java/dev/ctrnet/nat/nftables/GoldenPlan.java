package dev.ctrnet.nat.nftables;

import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.firewall.FirewallZone;
import dev.ctrnet.api.firewall.PublishedPort;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.api.net.PortMapping;
import java.util.List;

/** The fixed plan of the golden test: every kind of zone and port once. */
final class GoldenPlan {
    /** The default state root's rule set, which the golden files are rendered for. */
    static final String NAME = "ctrnet";
    /** The longest name a rule set can have. */
    static final String LONGEST_NAME = "ctrnet-abcdefghi";

    private GoldenPlan() {}

    static FirewallPlan plan() {
        return plan(NAME);
    }

    /** The same zones and ports in rule set {@code name}. */
    static FirewallPlan plan(String name) {
        FirewallZone web = new FirewallZone("web", "ctb0", Cidr.parse("10.77.0.0/24"), IpAddresses.parse("10.77.0.1"),
                true, false);
        FirewallZone vault = new FirewallZone("vault", "ctb1", Cidr.parse("10.78.0.0/24"),
                IpAddresses.parse("10.78.0.1"), true, true);
        return new FirewallPlan(name, List.of(web, vault), List.of(
                port("web", "front", "10.77.0.2", "8080:80"),
                port("web", "front", "10.77.0.2", "5353:53/udp"),
                port("web", "api", "10.77.0.3", "198.51.100.1:8081:81"),
                port("web", "api", "10.77.0.3", "20000-29999:20000-29999"),
                port("web", "api", "10.77.0.3", "8090-8092:90-92"),
                port("vault", "db", "10.78.0.2", "127.0.0.1:5432:5432")));
    }

    static PublishedPort port(String network, String container, String ip, String spec) {
        return new PublishedPort(network, container, IpAddresses.parse(ip), PortMapping.parse(spec));
    }
}
