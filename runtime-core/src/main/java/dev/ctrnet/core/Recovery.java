package dev.ctrnet.core;

import dagger.Lazy;
import dev.ctrnet.core.firewall.Firewall;
import dev.ctrnet.core.ipam.Ipam;
import dev.ctrnet.core.state.StateLock;
import dev.ctrnet.core.state.StateStore;
import dev.ctrnet.core.undo.Journal;
import dev.ctrnet.core.undo.Journals;
import dev.ctrnet.core.undo.Operation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.inject.Inject;
import javax.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a crash left, put right: each journal whose owner is dead ({@link Journals#orphaned}) is walked back (a
 * {@code run}, {@code network connect} or {@code network create}: its changes undone, newest first, then its
 * records and leases) or finished (an {@code rm}, {@code network rm} or {@code disconnect}, which is done again;
 * a {@code network reload} or {@code system prune}, which is run again), then removed; the rules are then
 * rendered from the state once. Runs whenever the state lock is taken, before the lock's holder changes
 * anything, and when a runtime opens: a listing of an empty folder, unless a crash left something.
 */
@Singleton
final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    private final StateStore store;
    private final Journals journals;
    private final Ipam ipam;
    private final Firewall firewall;
    private final Containers containers;
    private final Networks networks;
    private final Connections connections;
    private final Lazy<Reclaimer> reclaimer;
    /** What was put right since the runtime opened, for {@code system prune} to report. */
    private final List<String> done = new ArrayList<>();
    /** Set while journals are recovered: finishing a prune must not start another recovery. */
    private boolean recovering;

    @Inject
    Recovery(StateStore store, Journals journals, Ipam ipam, Firewall firewall, Containers containers,
            Networks networks, Connections connections, Lazy<Reclaimer> reclaimer) {
        this.store = store;
        this.journals = journals;
        this.ipam = ipam;
        this.firewall = firewall;
        this.containers = containers;
        this.networks = networks;
        this.connections = connections;
        this.reclaimer = reclaimer;
    }

    /** At a runtime's start: the journals of dead owners, recovered under the lock when there are any. */
    void atStart() {
        if (!journals.orphaned().isEmpty()) {
            try (StateLock lock = store.lock()) {
                recoverLocked(); // taking the lock has done it, unless another process did first
            }
        }
    }

    /** Recovers every journal whose owner is dead. The caller holds the lock. */
    void recoverLocked() {
        if (recovering) {
            return;
        }
        List<Path> orphaned = journals.orphaned();
        if (orphaned.isEmpty()) {
            return;
        }
        recovering = true;
        try {
            for (Path journal : orphaned) {
                recover(journal);
            }
            firewall.reconcile(firewall.fromRecords());
        } catch (RuntimeException e) {
            LOG.warn("could not put right what an interrupted command left: {}", e.getMessage());
        } finally {
            recovering = false;
        }
    }

    /** What was put right since the runtime opened, taken: {@code system prune} reports it. */
    List<String> takeDone() {
        List<String> taken = List.copyOf(done);
        done.clear();
        return taken;
    }

    private void recover(Path file) {
        Journal.Written written = journals.read(file);
        if (written.operation().isPresent()) {
            Operation operation = written.operation().get();
            try {
                if (operation.kind().walkedBack()) {
                    journals.walkBack(written.changes());
                }
                if (operation.kind().doneAgain()) {
                    finish(operation);
                    done.add("finished the interrupted " + operation.describe());
                } else {
                    walkBackRecords(operation);
                    done.add("walked back the interrupted " + operation.describe());
                }
            } catch (RuntimeException e) {
                LOG.warn("could not recover the interrupted {}: {}", operation.describe(), e.getMessage());
                done.add("could not recover the interrupted " + operation.describe() + ": " + e.getMessage());
            }
        }
        journals.remove(file);
    }

    /** Puts back the records and leases of a walked-back operation: what its changes were made for. */
    private void walkBackRecords(Operation operation) {
        String id = operation.get("id").orElseThrow();
        String network = operation.get("network").orElseThrow();
        switch (operation.kind()) {
            case RUN -> {
                String name = operation.get("container").orElseThrow();
                boolean ours = store.container(name).map(c -> c.id().equals(id)).orElse(true);
                if (ours) {
                    store.deleteContainer(name);
                }
                releaseLeases(network, id);
            }
            case CONNECT -> {
                connections.forgetAttachment(id, network, operation.get("interface").orElseThrow());
                releaseLeases(network, id);
            }
            case NETWORK_CREATE -> {
                if (store.network(network).map(n -> n.id().equals(id)).orElse(true)) {
                    store.deleteNetwork(network);
                    ipam.deleteNetwork(network);
                }
            }
            default -> throw new IllegalArgumentException(operation.kind() + " is finished, not walked back");
        }
    }

    private void releaseLeases(String network, String owner) {
        ipam.leases(network).forEach((ip, holder) -> {
            if (holder.equals(owner)) {
                ipam.release(network, ip, owner);
            }
        });
    }

    /** Does a finished operation's work again: what is already done is skipped, what is not is done. */
    private void finish(Operation operation) {
        switch (operation.kind()) {
            case RM -> {
                String id = operation.get("id").orElseThrow();
                store.container(operation.get("container").orElseThrow()).filter(c -> c.id().equals(id))
                        .ifPresent(containers::removeLocked);
            }
            case NETWORK_RM -> {
                String id = operation.get("id").orElseThrow();
                store.network(operation.get("network").orElseThrow()).filter(n -> n.id().equals(id))
                        .ifPresent(networks::removeLocked);
            }
            case DISCONNECT -> connections.finishDisconnect(operation.get("network").orElseThrow(),
                    operation.get("id").orElseThrow());
            case RELOAD -> reclaimer.get().reloadLocked();
            case PRUNE -> done.addAll(reclaimer.get().pruneLocked());
            default -> throw new IllegalArgumentException(operation.kind() + " is walked back, not finished");
        }
    }
}
