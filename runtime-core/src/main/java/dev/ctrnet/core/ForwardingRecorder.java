package dev.ctrnet.core;

import dev.ctrnet.api.kernel.NetworkNamespace;
import dev.ctrnet.api.kernel.Sysctl;
import dev.ctrnet.api.kernel.SysctlKey;
import dev.ctrnet.core.state.StateStore;
import java.util.Set;

/**
 * The host's sysctls, noticing when ctrnet (through any driver) turns IP forwarding on in the host's
 * namespace while it was off: that fact is recorded in the state root before the write, so the firewall
 * forwards only ctrnet's own networks from then on (see {@link dev.ctrnet.api.firewall.FirewallPlan#forwardingGuard()})
 * and the host's other interfaces stay as unrouted as they were. Recording first errs on the safe side: a
 * crash between the two leaves a guard for forwarding that is still off.
 */
final class ForwardingRecorder implements Sysctl {
    /** The two names of the host's IPv4 forwarding switch; writing either sets both. */
    private static final Set<String> FORWARDING = Set.of("net.ipv4.ip_forward", "net.ipv4.conf.all.forwarding");
    /** The host's IPv6 forwarding switch, a separate one. */
    private static final String FORWARDING6 = "net.ipv6.conf.all.forwarding";

    private final Sysctl real;
    private final StateStore store;

    ForwardingRecorder(Sysctl real, StateStore store) {
        this.real = real;
        this.store = store;
    }

    @Override
    public String read(NetworkNamespace namespace, SysctlKey key) {
        return real.read(namespace, key);
    }

    @Override
    public void write(NetworkNamespace namespace, SysctlKey key, String value) {
        boolean turningOn = namespace.isHost() && !value.equals("0");
        if (turningOn && FORWARDING.contains(key.toString()) && real.read(namespace, key).equals("0")
                && !store.forwardingWasOff()) {
            store.recordForwardingWasOff();
        }
        if (turningOn && key.toString().equals(FORWARDING6) && real.read(namespace, key).equals("0")
                && !store.forwarding6WasOff()) {
            store.recordForwarding6WasOff();
        }
        real.write(namespace, key, value);
    }
}
