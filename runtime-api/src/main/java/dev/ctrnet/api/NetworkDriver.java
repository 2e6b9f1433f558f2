package dev.ctrnet.api;

import dev.ctrnet.api.firewall.FirewallZone;
import dev.ctrnet.api.kernel.HostFacts;
import dev.ctrnet.api.kernel.Kernel;
import java.util.List;
import java.util.Optional;

/**
 * A network driver: what makes a container's interfaces and a network's host-side objects.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader} under this interface's name, need a
 * public no-argument constructor, and keep no state of their own between calls: the runtime stores
 * the {@link Network} and each {@link Attachment} and hands them back.
 *
 * <p>Guarantees the runtime gives a driver: calls are serialized by the runtime's lock; every change
 * made through the handed {@link Kernel} during a call that then throws is undone by the runtime, in
 * reverse order; the runtime allocates and releases addresses. What a driver owes: {@link #create}
 * and {@link #attach} are idempotent with respect to objects that already exist in the wanted shape;
 * {@link #delete} and {@link #detach} succeed when what they remove is already gone. Invalid user
 * input is reported by throwing {@link IllegalArgumentException} with a sentence that says what to do.
 */
public interface NetworkDriver {
    /** The name users pass to {@code --driver}, e.g. {@code bridge}. */
    String name();

    /** A version string shown by {@code ctrnet drivers}. */
    default String version() {
        return SpiVersion.string();
    }

    /** Whether networks of this driver have a subnet, a gateway and addresses leased by the runtime. */
    default boolean usesAddresses() {
        return true;
    }

    /** Whether containers on this driver share the host's network namespace instead of having one. */
    default boolean sharesHostNamespace() {
        return false;
    }

    /**
     * Checks the user's request and completes its options (names, defaults). Changes nothing in the
     * kernel. The subnet and gateway are already resolved when {@link #usesAddresses()}.
     *
     * @return the network to store
     */
    Network validate(Network requested);

    /**
     * Checks the user's request and completes its options, as {@link #validate(Network)}, with the host's links,
     * routes and sysctls to read (for example the uplink's MTU as a default, or whether a parent interface
     * exists). The runtime calls this one; by default it is {@link #validate(Network)}. Changes nothing.
     *
     * @return the network to store
     * @since 2.6
     */
    default Network validate(Network requested, HostFacts host) {
        return validate(requested);
    }

    /** Makes the network's host-side objects (for a bridge driver: the bridge). */
    void create(Network network, Kernel kernel);

    /** Removes what {@link #create} made. */
    void delete(Network network, Kernel kernel);

    /** Gives the container its interface on this network. */
    Attachment attach(Network network, Endpoint endpoint, Kernel kernel);

    /**
     * Takes the container off the network.
     *
     * @param sandboxGoing true when the runtime deletes the sandbox right after, which removes what
     *     lives inside it; the driver then only cleans up outside the sandbox
     */
    void detach(Network network, Endpoint endpoint, Attachment attachment, Kernel kernel, boolean sandboxGoing);

    /**
     * What the firewall must do for this network (masquerade, isolation, published ports), or none
     * when the driver's containers are not routed through the host. The zone names the network's host-side
     * interfaces ({@link dev.ctrnet.api.firewall.HostInterfaces}): a bridge driver its bridge; a routed driver,
     * with a host link per container, a name prefix they share, or none, each {@link Attachment} then declaring
     * its own ({@link Attachment#hostInterface()}). The runtime asks the NAT backend whether it can render the
     * zone before the network is made, and refuses the network when it cannot.
     */
    default Optional<FirewallZone> firewallZone(Network network) {
        return Optional.empty();
    }

    /**
     * The networks of this driver that exist without being created, as Docker's {@code bridge}, {@code host} and
     * {@code none} do: {@code ctrnet network ls} lists them, {@code --network NAME} uses them, and the runtime
     * makes each on first use through {@link #validate} and {@link #create}, as it makes a created one. Users cannot
     * remove them, nor create another network of the same name. When two drivers declare one name, the first found
     * keeps it (the runtime's own drivers come before plugins). None by default.
     *
     * @param scope a short name for the runtime's state root, to put in the names of host-wide objects (a bridge's,
     *     say) so that two state roots never share them: empty for the default root, a few hex digits otherwise
     * @return the networks, each naming this driver as its {@link NetworkSpec#driver()}
     * @since 2.6
     */
    default List<NetworkSpec> builtInNetworks(String scope) {
        return List.of();
    }
}
