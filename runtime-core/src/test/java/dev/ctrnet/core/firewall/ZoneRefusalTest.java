package dev.ctrnet.core.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.firewall.FirewallZone;
import dev.ctrnet.api.firewall.HostInterfaces;
import dev.ctrnet.api.kernel.Programs;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.core.CtrnetException;
import dev.ctrnet.core.plugin.DriverCatalog;
import dev.ctrnet.core.state.StateStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A zone the chosen backend cannot render is refused with one sentence, before any rule is sent: at network
 * create ({@link Firewall#requireRenders}) and when an attachment's host link changes a zone's shape
 * ({@link Firewall#update}). The backends here are ctrnet's own, on a host whose programs all answer, and
 * which records what it is asked to run.
 */
class ZoneRefusalTest {
    private static final DriverCatalog CATALOG = DriverCatalog.load(List.of(ZoneRefusalTest.class.getClassLoader()));

    @TempDir
    Path root;

    private final List<List<String>> ran = new ArrayList<>();
    private final Programs programs = new Programs() {
        @Override
        public Result run(List<String> command, String input) {
            ran.add(command);
            return new Result(0, "", "");
        }

        @Override
        public boolean exists(String program) {
            return true;
        }
    };

    @Test
    void iptablesRefusesAZoneOfSeveralNamesAndNamesTheBackendThatCan() {
        Firewall firewall = new Firewall(new StateStore(root), CATALOG, programs, "iptables", "ctrnet");
        firewall.requireRenders(zone(HostInterfaces.of("br0")));
        firewall.requireRenders(zone(HostInterfaces.prefixed("pt1a2b3c")));
        CtrnetException refused = assertThrows(CtrnetException.class,
                () -> firewall.requireRenders(zone(HostInterfaces.named(List.of("vethb", "vetha")))));
        assertEquals("the iptables NAT backend cannot firewall network p2p, whose host interfaces are vetha, vethb:"
                + " use --nat nftables", refused.getMessage());
    }

    @Test
    void nftablesRendersEveryShape() {
        Firewall firewall = new Firewall(new StateStore(root), CATALOG, programs, "nftables", "ctrnet");
        firewall.requireRenders(zone(new HostInterfaces(java.util.Set.of("veth0"), Optional.of("pt1a"))));
        firewall.requireRenders(zone(HostInterfaces.named(List.of())));
    }

    @Test
    void anUpdateThatGivesAZoneASecondNameIsRefusedBeforeAnyRuleIsSent() {
        Firewall firewall = new Firewall(new StateStore(root), CATALOG, programs, "iptables", "ctrnet");
        FirewallZone one = zone(HostInterfaces.named(List.of("vetha")));
        firewall.update(new FirewallPlan("ctrnet", List.of(one), List.of()));
        ran.clear();
        FirewallPlan two = new FirewallPlan("ctrnet", List.of(one.withInterface("vethb")), List.of());
        CtrnetException refused = assertThrows(CtrnetException.class, () -> firewall.update(two));
        assertEquals("the iptables NAT backend cannot firewall network p2p, whose host interfaces are vetha, vethb:"
                + " use --nat nftables", refused.getMessage());
        // only checks may run (whether nftables, which could, works here), never a restore
        assertEquals(List.of(), ran.stream().filter(c -> c.get(0).endsWith("tables-restore")).toList(),
                "no rule was sent");
    }

    private static FirewallZone zone(HostInterfaces interfaces) {
        return new FirewallZone("p2p", interfaces, Cidr.parse("10.61.0.0/24"), IpAddresses.parse("10.61.0.1"), true,
                false, Optional.empty(), Optional.empty());
    }
}
