package dev.ctrnet.core;

import dev.ctrnet.api.Attachment;
import dev.ctrnet.api.Endpoint;
import dev.ctrnet.api.Network;
import dev.ctrnet.api.NetworkDriver;
import dev.ctrnet.api.kernel.Kernel;
import dev.ctrnet.api.kernel.Netlink;
import dev.ctrnet.api.kernel.NetworkNamespace;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.PortMapping;
import dev.ctrnet.core.container.ConnectTarget;
import dev.ctrnet.core.container.ContainerRecord;
import dev.ctrnet.core.container.NetworkAttachment;
import dev.ctrnet.core.container.ProcessEndpoint;
import dev.ctrnet.core.container.ProcessTable;
import dev.ctrnet.core.firewall.AppliedFirewall;
import dev.ctrnet.core.firewall.Firewall;
import dev.ctrnet.core.firewall.FirewallPlanner;
import dev.ctrnet.core.ipam.Ipam;
import dev.ctrnet.core.plugin.DriverCatalog;
import dev.ctrnet.core.state.StateLock;
import dev.ctrnet.core.state.StateStore;
import dev.ctrnet.core.undo.AlreadyGone;
import dev.ctrnet.core.undo.Journal;
import dev.ctrnet.core.undo.Journals;
import dev.ctrnet.core.undo.KernelChange;
import dev.ctrnet.core.undo.Operation;
import dev.ctrnet.core.undo.RecordingKernel;
import dev.ctrnet.core.undo.Rollback;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javax.inject.Inject;

/** {@code network connect} and {@code disconnect}: more interfaces for a container, or for any process's namespace. */
final class Connections {
    private final StateStore store;
    private final Ipam ipam;
    private final DriverCatalog catalog;
    private final Kernel kernel;
    private final Firewall firewall;
    private final Networks networks;
    private final NameService names;
    private final Journals journals;

    @Inject
    Connections(StateStore store, Ipam ipam, DriverCatalog catalog, Kernel kernel, Firewall firewall, Networks networks,
            NameService names, Journals journals) {
        this.store = store;
        this.ipam = ipam;
        this.catalog = catalog;
        this.kernel = kernel;
        this.firewall = firewall;
        this.networks = networks;
        this.names = names;
        this.journals = journals;
    }

    NetworkAttachment connect(String networkName, ConnectTarget target, Optional<InetAddress> ip, List<String> aliases) {
        try (StateLock lock = store.lock()) {
            Network network = networks.resolve(networkName);
            NetworkDriver driver = catalog.requireDriver(network.driver());
            if (driver.sharesHostNamespace()) {
                throw new CtrnetException("network " + network.name() + " is the host's namespace: it cannot be connected");
            }
            if (ip.isPresent() && !driver.usesAddresses()) {
                throw new CtrnetException("--ip needs a network with addresses; network " + network.name() + " has none");
            }
            names.requireNamesFor(network, aliases);
            Sandbox sandbox = sandbox(target, true);
            if (sandbox.networks().stream().anyMatch(a -> a.network().equals(network.name()))) {
                throw new CtrnetException(sandbox.label() + " is already connected to network " + network.name());
            }
            if (sandbox.networks().isEmpty() && driver.firewallZone(network).isPresent()) {
                // its ports, unpublished while it had no network, follow this one: another container may hold them now
                Containers.requireUnpublished(sandbox.ports(), firewall.planOf(firewall.applied()), sandbox.label());
            }
            Netlink inside = kernel.namespaces().netlink(sandbox.namespace());
            String iface = nextInterfaceName(inside);
            boolean defaultRoute = !network.internal() && network.gateway().isPresent()
                    && inside.findDefaultRoute().isEmpty();
            Rollback rollback = journals.rollBack(operation(Operation.Kind.CONNECT, network.name(), sandbox,
                    "interface", iface));
            Optional<Ipam.Lease> leased = Optional.empty();
            try {
                if (driver.usesAddresses()) {
                    leased = Optional.of(ipam.lease(network, sandbox.id(), ip, Optional.empty()));
                }
                Endpoint endpoint = new Endpoint(sandbox.label(), sandbox.id(), sandbox.namespace(), iface,
                        leased.map(Ipam.Lease::address), network.gateway(), defaultRoute,
                        leased.flatMap(Ipam.Lease::address6));
                Attachment attachment = driver.attach(network, endpoint, new RecordingKernel(kernel, rollback));
                NetworkAttachment added = new NetworkAttachment(network.name(), iface, attachment, aliases);
                names.register(network, sandbox.id(), sandbox.name(), added, rollback);
                List<NetworkAttachment> updated = new ArrayList<>(sandbox.networks());
                updated.add(added);
                if (sandbox.name().isPresent()) {
                    rollback.record(new KernelChange.FirewallUpdated()); // a container's rules follow its networks
                }
                sandbox.save(updated);
                rollback.commit();
                return added;
            } catch (RuntimeException e) {
                rollback.undoAll(e);
                leased.ifPresent(lease -> ipam.release(network.name(), lease, sandbox.id()));
                try {
                    forgetAttachment(sandbox.id(), network.name(), iface); // saved, then its rules failed
                } catch (RuntimeException f) {
                    e.addSuppressed(f);
                }
                rollback.end();
                throw e;
            }
        }
    }

    void disconnect(String networkName, ConnectTarget target) {
        try (StateLock lock = store.lock()) {
            disconnect(sandbox(target, false), networkName);
        }
    }

    /**
     * Takes {@code network}'s attachment out of the records of the container or process {@code id}, if it holds
     * one named {@code iface}: a connect walked back after its record was saved. The caller holds the lock.
     */
    void forgetAttachment(String id, String network, String iface) {
        sandboxOf(id).ifPresent(sandbox -> {
            List<NetworkAttachment> rest = sandbox.networks().stream()
                    .filter(a -> !(a.network().equals(network) && a.interfaceName().equals(iface))).toList();
            if (rest.size() < sandbox.networks().size()) {
                sandbox.save(rest);
            }
        });
    }

    /**
     * Finishes a disconnect from {@code network} of the container or process {@code id} that a crash interrupted:
     * done again when its record still holds the attachment. The caller holds the lock.
     */
    void finishDisconnect(String network, String id) {
        sandboxOf(id).filter(s -> s.networks().stream().anyMatch(a -> a.network().equals(network)))
                .ifPresent(s -> disconnect(s, network));
    }

    /** Finished, not walked back, after a crash: the journal names the network and the container or process. */
    private void disconnect(Sandbox sandbox, String networkName) {
        NetworkAttachment attachment = sandbox.networks().stream().filter(a -> a.network().equals(networkName))
                .findFirst().orElseThrow(() -> new CtrnetException(sandbox.label() + " is not connected to network "
                        + networkName));
        Network network = store.network(networkName).orElseThrow(() -> CtrnetException.noSuchNetwork(networkName));
        Journal journal = journals.finishing(operation(Operation.Kind.DISCONNECT, networkName, sandbox));
        try {
            Attachment made = attachment.attachment();
            Endpoint endpoint = attachment.endpoint(sandbox.label(), sandbox.id(), sandbox.namespace());
            names.unregister(network, sandbox.id());
            AlreadyGone.ignore(() -> catalog.requireDriver(network.driver()).detach(network, endpoint, made, kernel, false));
            ipam.release(networkName, made, sandbox.id());
            sandbox.save(sandbox.networks().stream().filter(a -> a != attachment).toList());
        } finally {
            journal.remove();
        }
    }

    /** A connect's or disconnect's journal: the network, the sandbox's id and name, and {@code more}. */
    private static Operation operation(Operation.Kind kind, String network, Sandbox sandbox, String... more) {
        List<String> subject = new ArrayList<>(List.of("network", network, "id", sandbox.id(), "sandbox", sandbox.label()));
        sandbox.name().ifPresent(name -> subject.addAll(List.of("container", name)));
        subject.addAll(List.of(more));
        return Operation.of(kind, subject.toArray(String[]::new));
    }

    /** The container or connected process whose id is {@code id}, if it is still recorded. */
    private Optional<Sandbox> sandboxOf(String id) {
        Optional<Sandbox> container = store.containers().stream().filter(c -> c.id().equals(id) && c.netns().isPresent())
                .findFirst().map(c -> containerSandbox(c.name()));
        return container.isPresent() ? container
                : store.endpoints().stream().filter(e -> e.id().equals(id)).findFirst().map(this::processSandbox);
    }

    /**
     * Where connect and disconnect work: a namespace, the name other containers find it by (a container's;
     * a process has none, only the aliases it is given), what is attached to it, the ports it publishes through
     * its first network (a container's), and how to save what is attached.
     */
    private record Sandbox(String id, String label, Optional<String> name, NetworkNamespace namespace,
            List<NetworkAttachment> networks, List<PortMapping> ports, Consumer<List<NetworkAttachment>> saver) {
        void save(List<NetworkAttachment> updated) {
            saver.accept(updated);
        }
    }

    private Sandbox sandbox(ConnectTarget target, boolean creating) {
        if (target instanceof ConnectTarget.Container c) {
            return containerSandbox(c.name());
        }
        long pid = ((ConnectTarget.Process) target).pid();
        long start = ProcessTable.startTime(pid).orElseThrow(() -> new CtrnetException("no process with PID " + pid));
        if (ProcessTable.sameNetworkNamespace(pid, ProcessHandle.current().pid())) {
            throw new CtrnetException("process " + pid + " is in the host's network namespace: ctrnet connects only"
                    + " processes with a network namespace of their own (e.g. started with unshare --net)");
        }
        ProcessEndpoint endpoint = store.endpoints().stream()
                .filter(e -> e.pid() == pid && e.pidStartTime() == start).findFirst()
                .orElseGet(() -> {
                    if (!creating) {
                        throw new CtrnetException("process " + pid + " is not connected to any network");
                    }
                    return new ProcessEndpoint(Ids.newId(), pid, start, List.of());
                });
        return processSandbox(endpoint);
    }

    private Sandbox processSandbox(ProcessEndpoint endpoint) {
        return new Sandbox(endpoint.id(), endpoint.label(), Optional.empty(), NetworkNamespace.ofProcess(endpoint.pid()),
                endpoint.networks(), List.of(),
                updated -> {
                    if (updated.isEmpty()) {
                        store.deleteEndpoint(endpoint.id());
                    } else {
                        store.save(new ProcessEndpoint(endpoint.id(), endpoint.pid(), endpoint.pidStartTime(), updated));
                    }
                });
    }

    private Sandbox containerSandbox(String name) {
        ContainerRecord record = store.container(name).orElseThrow(() -> CtrnetException.noSuchContainer(name));
        if (record.netns().isEmpty()) {
            throw new CtrnetException("container " + name + " shares the host's network namespace: it cannot be"
                    + " connected to networks");
        }
        return new Sandbox(record.id(), record.name(), Optional.of(record.name()),
                new NetworkNamespace(record.netns().get()), record.networks(), record.ports(),
                updated -> {
                    ContainerRecord next = record.withNetworks(old -> updated);
                    store.save(next);
                    // published ports follow the first network, which a disconnect may have taken away
                    Optional<AppliedFirewall> applied = firewall.applied();
                    firewall.update(applied, FirewallPlanner.withContainer(
                            FirewallPlanner.withoutContainer(firewall.planOf(applied), record), next));
                });
    }

    /** The first free {@code ethN}, looked up name by name: a request per interface ctrnet gave the namespace. */
    private static String nextInterfaceName(Netlink inside) {
        for (int n = 0; ; n++) {
            if (inside.findLink("eth" + n).isEmpty()) {
                return "eth" + n;
            }
        }
    }
}
