package dev.ctrnet.core;

import dev.ctrnet.api.Network;
import dev.ctrnet.api.NetworkDriver;
import dev.ctrnet.api.NetworkSpec;
import dev.ctrnet.api.firewall.FirewallZone;
import dev.ctrnet.api.kernel.HostFacts;
import dev.ctrnet.api.kernel.Kernel;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.core.container.ContainerRecord;
import dev.ctrnet.core.container.ProcessEndpoint;
import dev.ctrnet.core.firewall.Firewall;
import dev.ctrnet.core.ipam.Ipam;
import dev.ctrnet.core.ipam.SubnetPool;
import dev.ctrnet.core.plugin.DriverCatalog;
import dev.ctrnet.core.state.StateLock;
import dev.ctrnet.core.state.StateStore;
import dev.ctrnet.core.undo.Journal;
import dev.ctrnet.core.undo.Journals;
import dev.ctrnet.core.undo.KernelChange;
import dev.ctrnet.core.undo.Operation;
import dev.ctrnet.core.undo.RecordingKernel;
import dev.ctrnet.core.undo.Rollback;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.inject.Inject;

/**
 * Networks: created, resolved (the built-in ones, which the drivers declare, made on first use), listed and
 * removed.
 */
final class Networks {
    private final RuntimeConfig config;
    private final StateStore store;
    private final Ipam ipam;
    private final DriverCatalog catalog;
    private final Kernel kernel;
    private final Firewall firewall;
    private final NameService names;
    private final Journals journals;

    @Inject
    Networks(RuntimeConfig config, StateStore store, Ipam ipam, DriverCatalog catalog, Kernel kernel, Firewall firewall,
            NameService names, Journals journals) {
        this.config = config;
        this.store = store;
        this.ipam = ipam;
        this.catalog = catalog;
        this.kernel = kernel;
        this.firewall = firewall;
        this.names = names;
        this.journals = journals;
    }

    Network create(NetworkSpec spec) {
        try (StateLock lock = store.lock()) {
            if (store.network(spec.name()).isPresent() || builtIn().containsKey(spec.name())) {
                throw new CtrnetException("network " + spec.name() + " already exists");
            }
            return make(planned(spec, Ids.newId()));
        }
    }

    /** Every network, the built-in ones that are not made yet as they would be: looking changes nothing. */
    List<Network> list() {
        try (StateLock lock = store.lock()) {
            List<Network> all = new ArrayList<>(store.networks());
            builtIn().keySet().stream().filter(name -> store.network(name).isEmpty()).map(this::prospect).forEach(all::add);
            all.sort(Comparator.comparing(Network::name));
            return all;
        }
    }

    /** The network named {@code name}; a built-in one that is not made yet as it would be. */
    Network get(String name) {
        try (StateLock lock = store.lock()) {
            return prospect(name);
        }
    }

    /** The containers attached to {@code network}, by name, then the processes connected to it ({@code pid:N}). */
    List<String> members(String network) {
        List<String> out = new ArrayList<>();
        store.containers().stream().filter(c -> c.attachment(network).isPresent()).map(ContainerRecord::name)
                .forEach(out::add);
        store.endpoints().stream().filter(e -> e.networks().stream().anyMatch(a -> a.network().equals(network)))
                .map(ProcessEndpoint::label).forEach(out::add);
        return out;
    }

    void remove(String name) {
        try (StateLock lock = store.lock()) {
            if (builtIn().containsKey(name)) {
                throw new CtrnetException(name + " is a pre-defined network and cannot be removed");
            }
            removeLocked(store.network(name).orElseThrow(() -> CtrnetException.noSuchNetwork(name)));
        }
    }

    /**
     * Removes {@code network}, refused while anything is attached; finished, not walked back, after a crash. The
     * caller holds the lock.
     */
    void removeLocked(Network network) {
        String name = network.name();
        List<String> attached = members(name);
        if (!attached.isEmpty()) {
            throw new CtrnetException("network " + name + " has containers attached (" + String.join(", ", attached)
                    + "): remove them first");
        }
        Journal journal = journals.finishing(Operation.of(Operation.Kind.NETWORK_RM, "network", name,
                "id", network.id()));
        try {
            List<Network> rest = store.networks().stream().filter(n -> !n.name().equals(name)).toList();
            firewall.update(firewall.planFor(rest, store.containers()));
            names.remove(network);
            catalog.requireDriver(network.driver()).delete(network, kernel);
            ipam.deleteNetwork(name);
            store.deleteNetwork(name);
        } finally {
            journal.remove();
        }
    }

    /** The network named {@code name}, making a built-in one on first use. The caller holds the lock. */
    Network resolve(String name) {
        Network network = prospect(name);
        makeIfNew(network);
        return network;
    }

    /**
     * The network named {@code name} as stored or, for a built-in one not made yet, as it would be made
     * (its subnet chosen, its options completed); nothing is changed, so a request can be checked against
     * it before anything is. The caller holds the lock.
     */
    Network prospect(String name) {
        Optional<Network> stored = store.network(name);
        if (stored.isPresent()) {
            return stored.get();
        }
        NetworkSpec spec = builtIn().get(name);
        if (spec == null) {
            throw CtrnetException.noSuchNetwork(name);
        }
        // an id of its root and name: the network shown before it is made is the one then made
        return planned(spec, Ids.derived("built-in network " + name + " of " + config.root()));
    }

    /** The networks the drivers declare as existing without being created, by name. */
    private Map<String, NetworkSpec> builtIn() {
        return catalog.builtInNetworks(config.scope());
    }

    /**
     * Makes {@code network}, a {@link #prospect}, when it is not stored yet, and says whether it did. The
     * caller holds the lock.
     */
    boolean makeIfNew(Network network) {
        if (store.network(network.name()).isPresent()) {
            return false;
        }
        make(network);
        return true;
    }

    /** The network {@code spec} asks for, with id {@code id}, completed and checked; nothing is changed yet. */
    private Network planned(NetworkSpec spec, String id) {
        NetworkDriver driver = catalog.requireDriver(spec.driver());
        Optional<Cidr> subnet = Optional.empty();
        Optional<InetAddress> gateway = Optional.empty();
        if (driver.usesAddresses()) {
            Cidr chosen = subnetFor(spec);
            subnet = Optional.of(chosen);
            gateway = Optional.of(spec.gateway().orElseGet(() -> chosen.addressAt(BigInteger.ONE)));
            if (gateway.get().equals(chosen.networkAddress()) || gateway.get().equals(chosen.lastAddress())) {
                throw new CtrnetException("gateway " + IpAddresses.format(gateway.get())
                        + " is the network or broadcast address of " + chosen);
            }
        } else if (spec.subnet().isPresent() || spec.gateway().isPresent() || spec.ipv6()) {
            throw new CtrnetException("driver " + driver.name() + " does not use addresses: drop --subnet, --gateway"
                    + " and --ipv6");
        }
        Optional<Cidr> subnet6 = Optional.empty();
        Optional<InetAddress> gateway6 = Optional.empty();
        if (spec.ipv6()) {
            Cidr chosen = subnet6For(spec);
            subnet6 = Optional.of(chosen);
            gateway6 = Optional.of(spec.gateway6().orElseGet(() -> chosen.addressAt(BigInteger.ONE)));
            if (gateway6.get().equals(chosen.networkAddress())) {
                throw new CtrnetException("gateway " + IpAddresses.format(gateway6.get())
                        + " is the subnet-router anycast address of " + chosen + ": choose another");
            }
        }
        Network requested = new Network(spec.name(), id, driver.name(), subnet, gateway, spec.internal(),
                spec.options(), subnet6, gateway6);
        Network network;
        try {
            network = driver.validate(requested, HostFacts.of(kernel));
        } catch (IllegalArgumentException e) {
            throw new CtrnetException(e.getMessage(), e);
        }
        driver.firewallZone(network).ifPresent(this::requireOwnInterfaces);
        return network;
    }

    /** Stores {@code network} and makes its driver's objects and rules; on failure, walks everything back. */
    private Network make(Network network) {
        NetworkDriver driver = catalog.requireDriver(network.driver());
        driver.firewallZone(network).ifPresent(firewall::requireRenders);
        Rollback rollback = journals.rollBack(Operation.of(Operation.Kind.NETWORK_CREATE, "network", network.name(),
                "id", network.id()));
        try {
            // the record first: a crash after the bridge is made leaves a network that rm can remove
            store.save(network);
            CrashPoint.reached("network-record");
            driver.create(network, new RecordingKernel(kernel, rollback));
            CrashPoint.reached("network-bridge");
            rollback.record(new KernelChange.FirewallUpdated());
            firewall.update(firewall.fromRecords());
            rollback.commit();
            return network;
        } catch (RuntimeException e) {
            rollback.undoAll(e);
            store.deleteNetwork(network.name());
            if (rollback.firewallChanged()) {
                firewall.renderAgain(e);
            }
            rollback.end();
            throw e;
        }
    }

    /**
     * Two networks never share a host interface: removing one would take the other's bridge down, and the
     * firewall could not tell their traffic apart.
     */
    private void requireOwnInterfaces(FirewallZone zone) {
        for (Network other : store.networks()) {
            Optional<FirewallZone> theirs = catalog.driver(other.driver()).flatMap(d -> d.firewallZone(other));
            if (theirs.isEmpty() || !theirs.get().interfaces().overlaps(zone.interfaces())) {
                continue;
            }
            Optional<String> bridge = zone.interfaces().single();
            if (bridge.isPresent() && theirs.get().interfaces().single().equals(bridge)) {
                throw new CtrnetException("bridge " + bridge.get() + " is already network " + other.name()
                        + "'s: choose another bridge=NAME");
            }
            throw new CtrnetException("host interfaces " + zone.interfaces().describe() + " overlap network "
                    + other.name() + "'s (" + theirs.get().interfaces().describe() + ")");
        }
    }

    /** The requested IPv6 subnet, checked against other networks', or a free /64 from the state root's pool. */
    private Cidr subnet6For(NetworkSpec spec) {
        Map<String, Cidr> taken = new LinkedHashMap<>();
        store.networks().forEach(n -> n.subnet6().ifPresent(s -> taken.put(n.name(), s)));
        if (spec.subnet6().isPresent()) {
            SubnetPool.check(spec.subnet6().get(), taken, List.of());
            return spec.subnet6().get().network();
        }
        return SubnetPool.chooseIpv6(config.root().toString(), taken);
    }

    /** The requested subnet, checked against other networks and the host's routes, or a free one from the pool. */
    private Cidr subnetFor(NetworkSpec spec) {
        Map<String, Cidr> taken = new LinkedHashMap<>();
        store.networks().forEach(n -> n.subnet().ifPresent(s -> taken.put(n.name(), s)));
        var routes = kernel.hostNetlink().listRoutes();
        if (spec.subnet().isPresent()) {
            SubnetPool.check(spec.subnet().get(), taken, routes);
        }
        Cidr chosen = spec.subnet().map(Cidr::network).orElseGet(() -> SubnetPool.choose(taken, routes));
        if (chosen.isIpv4() && chosen.prefixLength() > 30) {
            throw new CtrnetException("subnet " + chosen + " is too small: it needs room for a gateway and a container");
        }
        return chosen;
    }
}
