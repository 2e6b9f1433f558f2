package dev.ctrnet.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.core.firewall.AppliedFirewall;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code firewall.json} keeps the forwarding guard, and a record written before the guard existed still reads. */
class FirewallRecordTest {
    @TempDir
    Path root;

    @Test
    void aRecordWithoutTheGuardFieldReadsAsAppliedWithoutIt() throws IOException {
        Files.writeString(root.resolve("firewall.json"), "{\"backend\":\"nftables\",\"ruleSet\":\"ctrnet\","
                + "\"zones\":[{\"network\":\"bridge\",\"bridge\":\"ctrnet0\",\"subnet\":\"172.17.0.0/16\","
                + "\"gateway\":\"172.17.0.1\",\"masquerade\":true,\"internal\":false}],\"ports\":[]}\n");
        AppliedFirewall applied = new StateStore(root).firewall().orElseThrow();
        assertEquals(1, applied.plan().zones().size());
        assertFalse(applied.plan().forwardingGuard());
    }

    @Test
    void theGuardIsKept() {
        StateStore store = new StateStore(root);
        store.save(new AppliedFirewall("iptables", new FirewallPlan("ctrnet", List.of(), List.of(), true)));
        assertTrue(store.firewall().orElseThrow().plan().forwardingGuard());
    }
}
