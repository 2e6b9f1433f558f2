package dev.ctrnet.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.kernel.NetworkNamespace;
import dev.ctrnet.api.kernel.Sysctl;
import dev.ctrnet.api.kernel.SysctlKey;
import dev.ctrnet.core.state.StateStore;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ctrnet records that forwarding was off exactly when it is the one turning it on, in the host's namespace. */
class ForwardingRecorderTest {
    private static final String FORWARD = "net.ipv4.ip_forward";

    @TempDir
    Path root;

    /** Sysctls held in a map, keyed by namespace path and key. */
    private final Map<String, String> values = new HashMap<>();
    private final Sysctl fake = new Sysctl() {
        @Override
        public String read(NetworkNamespace namespace, SysctlKey key) {
            return values.getOrDefault(namespace.path() + " " + key, "0");
        }

        @Override
        public void write(NetworkNamespace namespace, SysctlKey key, String value) {
            values.put(namespace.path() + " " + key, value);
        }
    };

    @Test
    void turningForwardingOnFromOffIsRecordedBeforeTheWrite() {
        StateStore store = new StateStore(root);
        Sysctl sysctl = new ForwardingRecorder(new Sysctl() {
            @Override
            public String read(NetworkNamespace namespace, SysctlKey key) {
                return fake.read(namespace, key);
            }

            @Override
            public void write(NetworkNamespace namespace, SysctlKey key, String value) {
                assertTrue(store.forwardingWasOff(), "recorded before forwarding is on");
                fake.write(namespace, key, value);
            }
        }, store);
        sysctl.write(NetworkNamespace.host(), FORWARD, "1");
        assertEquals("1", fake.read(NetworkNamespace.host(), FORWARD));
        sysctl.write(NetworkNamespace.host(), FORWARD, "0");
        assertTrue(new StateStore(root).forwardingWasOff(), "the fact outlives the write and the store");
    }

    @Test
    void forwardingThatWasOnIsNotRecorded() {
        StateStore store = new StateStore(root);
        fake.write(NetworkNamespace.host(), FORWARD, "1");
        new ForwardingRecorder(fake, store).write(NetworkNamespace.host(), FORWARD, "1");
        assertFalse(store.forwardingWasOff());
    }

    @Test
    void otherNamespacesAndOtherKeysAreNotTheHostsForwarding() {
        StateStore store = new StateStore(root);
        Sysctl sysctl = new ForwardingRecorder(fake, store);
        sysctl.write(new NetworkNamespace(Path.of("/run/netns/c1")), FORWARD, "1");
        sysctl.write(NetworkNamespace.host(), "net.ipv4.conf.ctrnet0.route_localnet", "1");
        assertFalse(store.forwardingWasOff());
        sysctl.write(NetworkNamespace.host(), "net.ipv4.conf.all.forwarding", "1");
        assertTrue(store.forwardingWasOff(), "conf.all.forwarding is the same switch");
    }
}
