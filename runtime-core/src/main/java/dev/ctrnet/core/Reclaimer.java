package dev.ctrnet.core;

import dev.ctrnet.api.Network;
import dev.ctrnet.api.kernel.Kernel;
import dev.ctrnet.api.kernel.NetworkNamespace;
import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.core.container.ContainerRecord;
import dev.ctrnet.core.container.ContainerState;
import dev.ctrnet.core.container.NetworkAttachment;
import dev.ctrnet.core.container.ProcessEndpoint;
import dev.ctrnet.core.container.ProcessTable;
import dev.ctrnet.core.container.Sandboxes;
import dev.ctrnet.core.firewall.Firewall;
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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.inject.Inject;

/** {@code system prune} and {@code network reload}: make the kernel match the state again. */
final class Reclaimer {
    private final RuntimeConfig config;
    private final StateStore store;
    private final Ipam ipam;
    private final DriverCatalog catalog;
    private final Sandboxes sandboxes;
    private final Kernel kernel;
    private final Firewall firewall;
    private final Containers containers;
    private final NameService names;
    private final LoopbackProxies proxies;
    private final Journals journals;

    @Inject
    Reclaimer(RuntimeConfig config, StateStore store, Ipam ipam, DriverCatalog catalog, Sandboxes sandboxes,
            Kernel kernel, Firewall firewall, Containers containers, NameService names,
            LoopbackProxies proxies, Journals journals) {
        this.config = config;
        this.store = store;
        this.ipam = ipam;
        this.catalog = catalog;
        this.sandboxes = sandboxes;
        this.kernel = kernel;
        this.firewall = firewall;
        this.containers = containers;
        this.names = names;
        this.proxies = proxies;
        this.journals = journals;
    }

    List<String> prune() {
        try (StateLock lock = store.lock()) {
            return pruneLocked();
        }
    }

    /** {@link #prune()}, under the lock the caller holds. */
    List<String> pruneLocked() {
        List<String> done = new ArrayList<>();
        Journal journal = journals.finishing(Operation.of(Operation.Kind.PRUNE));
        try {
            for (ContainerState s : containers.states()) {
                if (!s.running() && s.record().autoRemove() && s.record().pid() != 0) {
                    containers.removeLocked(s.record());
                    done.add("removed exited --rm container " + s.record().name());
                } else if (Containers.isAbandoned(s)) {
                    containers.removeLocked(s.record());
                    done.add("removed container " + s.record().name() + ", whose run was interrupted before it started");
                }
            }
            store.deleteFoldersWithoutRecord().forEach(name -> done.add("removed the folder of " + name
                    + ", whose run was interrupted before its record was written"));
            for (ProcessEndpoint e : store.endpoints()) {
                if (!ProcessTable.isAlive(e.pid(), e.pidStartTime())) {
                    e.networks().forEach(a -> ipam.release(a.network(), a.attachment(), e.id()));
                    store.deleteEndpoint(e.id());
                    done.add("forgot " + e.label() + ", which has exited");
                }
            }
            Set<String> owners = owners();
            // only what ctrnet made: mounts named by an id, in a runtime folder no one else uses (see RuntimeConfig)
            for (String kind : List.of("netns", "uts")) {
                for (Path p : list(config.runDir().resolve(kind))) {
                    String name = p.getFileName().toString();
                    if (Ids.isId(name) && !owners.contains(name)) {
                        AlreadyGone.ignore(() -> sandboxes.removeNamespaceFile(p));
                        done.add("removed " + kind + " mount " + p);
                    }
                }
            }
            for (Network n : store.networks()) {
                ipam.leases(n.name()).forEach((ip, owner) -> {
                    if (!owners.contains(owner)) {
                        ipam.release(n.name(), ip, owner);
                        done.add("released " + IpAddresses.format(ip) + " on " + n.name());
                    }
                });
            }
            // a network whose record was written but whose bridge was not (a create killed in between) gets it now:
            // prune brings the kernel to what the state says, and a driver's create leaves what is in place as it is
            for (Network n : store.networks()) {
                catalog.requireDriver(n.driver()).create(n, kernel);
            }
            firewall.reconcile(firewall.fromRecords());
            done.addAll(names.repair(store.networks(), owners));
            done.addAll(proxies.repair(owners));
            store.deleteTemporaries().forEach(p -> done.add("removed temporary file " + p));
        } finally {
            journal.remove();
        }
        return done;
    }

    void reload() {
        try (StateLock lock = store.lock()) {
            reloadLocked();
        }
    }

    /** {@link #reload()}, under the lock the caller holds. */
    void reloadLocked() {
        // each change journaled with its undo: a crash is walked back, then the reload done again (see Operation)
        Rollback rollback = journals.rollBack(Operation.of(Operation.Kind.RELOAD));
        RecordingKernel recording = new RecordingKernel(kernel, rollback);
        try {
            for (Network n : store.networks()) {
                catalog.requireDriver(n.driver()).create(n, recording);
            }
            reattach(recording);
            rollback.record(new KernelChange.FirewallUpdated());
            firewall.reconcile(firewall.fromRecords());
            names.repair(store.networks(), owners());
        } finally {
            // what a failed reload repaired stays repaired
            rollback.commit();
        }
    }

    /**
     * Attaches every running container and connected process again: a driver's attach leaves what is in
     * place as it is and puts back what is not, such as the ports of a bridge that was deleted and made again.
     */
    private void reattach(Kernel kernel) {
        for (ContainerState s : containers.states()) {
            ContainerRecord c = s.record();
            if (s.running() && c.netns().isPresent()) {
                reattach(c.networks(), c.name(), c.id(), new NetworkNamespace(c.netns().get()), kernel);
            }
        }
        for (ProcessEndpoint e : store.endpoints()) {
            if (ProcessTable.isAlive(e.pid(), e.pidStartTime())) {
                reattach(e.networks(), e.label(), e.id(), NetworkNamespace.ofProcess(e.pid()), kernel);
            }
        }
    }

    private void reattach(List<NetworkAttachment> attachments, String label, String id, NetworkNamespace sandbox,
            Kernel kernel) {
        for (NetworkAttachment a : attachments) {
            store.network(a.network()).ifPresent(n -> catalog.requireDriver(n.driver())
                    .attach(n, a.endpoint(label, id, sandbox), kernel));
        }
    }

    /** The ids of every container and connected process: what may own leases, mounts and names. */
    private Set<String> owners() {
        Set<String> owners = new HashSet<>();
        store.containers().forEach(c -> owners.add(c.id()));
        store.endpoints().forEach(e -> owners.add(e.id()));
        return owners;
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new CtrnetException("cannot read " + dir + ": " + e.getMessage(), e);
        }
    }
}
