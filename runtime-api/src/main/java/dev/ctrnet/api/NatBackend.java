package dev.ctrnet.api;

import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.firewall.HostInterfaces;
import dev.ctrnet.api.firewall.MissingRule;
import dev.ctrnet.api.kernel.Programs;
import java.util.List;
import java.util.Optional;

/**
 * A NAT/firewall backend: makes the kernel's packet filter match a {@link FirewallPlan} computed by the
 * runtime, in a table or chains of its own, never touching rules it did not create.
 *
 * <p>Found with {@link java.util.ServiceLoader}; public no-argument constructor; no state between
 * calls. Each plan names its rule set ({@link FirewallPlan#name()}): one per state root, kept apart. Every change is atomic (the kernel sees the old rules or the new ones) and idempotent, so
 * applying a plan again repairs a half-done or flushed rule set.
 */
public interface NatBackend {
    /** The name users pass to {@code --nat}, e.g. {@code nftables}. */
    String name();

    /** A version string shown by {@code ctrnet drivers}. */
    default String version() {
        return SpiVersion.string();
    }

    /** Why the backend cannot work on this host (a missing tool or kernel feature), or empty when it can. */
    Optional<String> unavailableReason(Programs programs);

    /**
     * Whether this backend renders every rule of a {@link dev.ctrnet.api.firewall.FirewallZone} behind
     * {@code interfaces} (masquerade, isolation, hairpin, {@code 127.0.0.1} ports, {@code internal}, DNS). The
     * runtime asks before it makes a network, and before an attachment adds a host interface to one, and refuses
     * with a sentence naming the backend and the interfaces rather than leave a rule out. The default, for
     * backends built before 2.6, is one interface by name: one bridge per network.
     *
     * @since 2.6
     */
    default boolean renders(HostInterfaces interfaces) {
        return interfaces.single().isPresent();
    }

    /** The rules this backend would install for {@code plan}, in its tool's own input format. */
    String render(FirewallPlan plan);

    /** Makes the backend's rules equal to {@code plan}, atomically. */
    void apply(FirewallPlan plan, Programs programs);

    /**
     * Moves from {@code current} (what was last applied) to {@code next}. Backends override this to
     * send only the difference, so that one container's change costs the same with any number of
     * containers; the default applies {@code next} whole.
     */
    default void update(FirewallPlan current, FirewallPlan next, Programs programs) {
        apply(next, programs);
    }

    /** Removes every rule, chain and table of rule set {@code name} (see {@link FirewallPlan#name()}). */
    void remove(String name, Programs programs);

    /**
     * Reads, changing nothing, which of {@code plan}'s outbound masquerade and published-port rules the kernel
     * lacks, with what they depend on in the backend's rule set (its table, chains, jumps), for
     * {@code ctrnet doctor}. Empty when the backend cannot tell, which is the default, so that a backend built
     * against an older SPI keeps loading.
     *
     * @return the missing rules, none when the kernel holds them all; or empty when the backend cannot tell
     * @since 2.4
     */
    default Optional<List<MissingRule>> missingRules(FirewallPlan plan, Programs programs) {
        return Optional.empty();
    }

    /**
     * How strongly this backend is preferred when the user leaves the choice to the runtime ({@code --nat auto}):
     * of the backends that can work on the host, the one with the highest preference is chosen, the first found
     * among equals (the runtime's own backends come before plugins). 0 by default; the runtime's own backends
     * say 20 (nftables, one atomic transaction per change) and 10 (iptables).
     *
     * @since 2.6
     */
    default int preference() {
        return 0;
    }
}
