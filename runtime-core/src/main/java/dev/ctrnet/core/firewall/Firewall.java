package dev.ctrnet.core.firewall;

import dev.ctrnet.api.NatBackend;
import dev.ctrnet.api.Network;
import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.firewall.FirewallZone;
import dev.ctrnet.api.kernel.KernelException;
import dev.ctrnet.api.kernel.Programs;
import dev.ctrnet.core.CrashPoint;
import dev.ctrnet.core.CtrnetException;
import dev.ctrnet.core.container.ContainerRecord;
import dev.ctrnet.core.plugin.DriverCatalog;
import dev.ctrnet.core.state.StateStore;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Keeps the kernel's rules equal to the plan through the chosen NAT backend, and remembers what it
 * applied ({@code ROOT/firewall.json}, and a file per container's published ports): one container's change
 * is then computed from that and recorded in that container's file, at a cost that does not depend on how
 * many containers exist. Choosing another backend with containers running
 * moves the rules: the new backend applies the whole plan, then the old one removes its rule set, so
 * two sets never coexist for long and never fight.
 */
public final class Firewall {
    private final StateStore store;
    private final DriverCatalog catalog;
    private final Programs programs;
    private final String choice;
    private final String ruleSet;
    private final Narration narration;

    /** Hears why each rule change is sent to the backend, just before it is: a dry run's comments. */
    @FunctionalInterface
    public interface Narration {
        /** Nobody listens: the sentence is never made. */
        Narration SILENT = why -> { };

        /** The next call to the backend is made for {@code why}. */
        void step(Supplier<String> why);
    }

    /**
     * @param choice {@code auto} or a backend's name
     * @param ruleSet this state root's rule set name (see {@link FirewallPlan#name()})
     */
    public Firewall(StateStore store, DriverCatalog catalog, Programs programs, String choice, String ruleSet) {
        this(store, catalog, programs, choice, ruleSet, Narration.SILENT);
    }

    /** As {@link #Firewall(StateStore, DriverCatalog, Programs, String, String)}, telling {@code narration} why. */
    public Firewall(StateStore store, DriverCatalog catalog, Programs programs, String choice, String ruleSet,
            Narration narration) {
        this.narration = narration;
        this.store = store;
        this.catalog = catalog;
        this.programs = programs;
        this.choice = choice;
        this.ruleSet = ruleSet;
        if (!choice.equals("auto")) {
            catalog.requireBackend(choice); // a misspelt --nat fails every command, not only those that apply rules
        }
    }

    /** What the kernel holds, as last applied, if anything was. */
    public Optional<AppliedFirewall> applied() {
        return store.firewall();
    }

    /** The plan {@code applied} holds, or the one rebuilt from the records when nothing was recorded. */
    public FirewallPlan planOf(Optional<AppliedFirewall> applied) {
        return applied.map(AppliedFirewall::plan).orElseGet(this::fromRecords);
    }

    /** The plan of every stored network and container: costs a read of every record. */
    public FirewallPlan fromRecords() {
        return planFor(store.networks(), store.containers());
    }

    /** The plan for these networks and containers, in this root's rule set. */
    public FirewallPlan planFor(List<Network> networks, List<ContainerRecord> containers) {
        StateStore.ForwardingGuards guards = store.forwardingGuards();
        return FirewallPlanner.plan(ruleSet, networks, containers, catalog, guards.ipv4())
                .withForwardingGuards(guards.ipv4(), guards.ipv6());
    }

    /**
     * Moves the rules from what was applied to {@code next}: only the difference when the backend can.
     * With nothing applied yet and nothing to hold, no backend is asked at all.
     */
    public void update(FirewallPlan next) {
        update(store.firewall(), next);
    }

    /**
     * {@link #update(FirewallPlan)} from {@code applied}, already read under the same lock. The forwarding
     * guard is taken from the state root rather than from {@code next}: a plan computed from what was
     * applied before this command turned forwarding on would lack it.
     */
    public void update(Optional<AppliedFirewall> applied, FirewallPlan plan) {
        FirewallPlan next = guarded(plan);
        if (applied.isEmpty()) {
            if (!next.zones().isEmpty() || !next.ports().isEmpty()) {
                apply(next);
            }
            return;
        }
        boolean sameBackend = choice.equals("auto") || choice.equals(applied.get().backend());
        if (sameBackend && applied.get().plan().equals(next)) {
            return;
        }
        NatBackend backend = backendFor(Optional.of(applied.get().backend()));
        if (!applied.get().backend().equals(backend.name())) {
            migrate(applied.get(), backend, next);
        } else {
            if (!applied.get().plan().sameZones(next)) {
                requireRenders(backend, next.zones());
            }
            narration.step(() -> "the firewall, through " + backend.name() + ": "
                    + PlanChange.between(applied.get().plan(), next));
            run(() -> backend.update(applied.get().plan(), next, programs), backend);
            store.save(new AppliedFirewall(backend.name(), next));
        }
    }

    /** Applies the whole plan again (after a flush or a firewall restart), with the guard {@link #update} adds. */
    public void apply(FirewallPlan whole) {
        FirewallPlan plan = guarded(whole);
        Optional<AppliedFirewall> applied = store.firewall();
        if (applied.isEmpty() && plan.zones().isEmpty() && plan.ports().isEmpty()) {
            return;
        }
        NatBackend backend = backendFor(applied.map(AppliedFirewall::backend));
        if (applied.isPresent() && !applied.get().backend().equals(backend.name())) {
            migrate(applied.get(), backend, plan);
        } else {
            requireRenders(backend, plan.zones());
            narration.step(() -> "the firewall, through " + backend.name() + ": " + PlanChange.whole(plan));
            run(() -> backend.apply(plan, programs), backend);
            store.save(new AppliedFirewall(backend.name(), plan));
        }
    }

    /**
     * Applies the whole plan and removes this root's rule set from every other usable backend, which
     * repairs a switch of backends that was interrupted between its two steps.
     */
    public void reconcile(FirewallPlan plan) {
        if (store.firewall().isEmpty() && plan.zones().isEmpty() && plan.ports().isEmpty()) {
            return;
        }
        apply(plan);
        String inUse = backendName();
        for (var entry : catalog.backends()) {
            NatBackend other = entry.service();
            if (!other.name().equals(inUse) && other.unavailableReason(programs).isEmpty()) {
                narration.step(() -> "rule set " + ruleSet + " out of " + other.name() + ", which is not in use");
                run(() -> other.remove(ruleSet, programs), other);
            }
        }
    }

    /**
     * Refuses {@code zone} when the backend in use (or the one that would be chosen) cannot render every rule
     * it needs: a network it cannot firewall is never made, and no rule is silently left out.
     */
    public void requireRenders(FirewallZone zone) {
        requireRenders(backendFor(store.firewallBackend()), List.of(zone));
    }

    /**
     * Refuses {@code zones} before {@code backend} is sent any of them, when it cannot render one: an attachment
     * may have added a host interface to its network's zone that the backend cannot render.
     */
    private void requireRenders(NatBackend backend, List<FirewallZone> zones) {
        for (FirewallZone zone : zones) {
            if (!backend.renders(zone.interfaces())) {
                List<String> able = catalog.backends().stream().map(e -> e.service())
                        .filter(b -> b.renders(zone.interfaces()) && b.unavailableReason(programs).isEmpty())
                        .map(NatBackend::name).sorted().toList();
                throw new CtrnetException("the " + backend.name() + " NAT backend cannot firewall network "
                        + zone.network() + ", whose host interfaces are " + zone.interfaces().describe()
                        + (able.isEmpty() ? ": no NAT backend here can" : ": use --nat " + String.join(" or --nat ", able)));
            }
        }
    }

    /**
     * After a failed operation has put its records back: the rules it changed are rendered from the records
     * again, which is how a change of the rules is walked back (they are a rendering of the state). A failure
     * is added to {@code cause}, the failure being reported.
     */
    public void renderAgain(RuntimeException cause) {
        try {
            apply(fromRecords());
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    /** The backend in use, or the one that would be chosen. */
    public String backendName() {
        return backendFor(store.firewallBackend()).name();
    }

    /** {@code plan} with the forwarding guard on when ctrnet turned forwarding on (see {@link StateStore#forwardingWasOff}). */
    private FirewallPlan guarded(FirewallPlan plan) {
        StateStore.ForwardingGuards guards = store.forwardingGuards();
        return plan.withForwardingGuards(guards.ipv4(), guards.ipv6());
    }

    private void migrate(AppliedFirewall from, NatBackend to, FirewallPlan plan) {
        NatBackend old = catalog.requireBackend(from.backend());
        requireRenders(to, plan.zones());
        narration.step(() -> "the firewall moves from " + old.name() + " to " + to.name() + ": " + PlanChange.whole(plan));
        run(() -> to.apply(plan, programs), to);
        store.save(new AppliedFirewall(to.name(), plan));
        narration.step(() -> "rule set " + from.plan().name() + " out of " + old.name() + ", now that " + to.name()
                + " holds it");
        run(() -> old.remove(from.plan().name(), programs), old);
    }

    private NatBackend backendFor(Optional<String> stored) {
        String name = choice.equals("auto") ? stored.orElseGet(this::firstUsable) : choice;
        NatBackend backend = catalog.requireBackend(name);
        if (!stored.equals(Optional.of(name))) {
            backend.unavailableReason(programs).ifPresent(reason -> {
                throw new CtrnetException("NAT backend " + name + " cannot work here: " + reason);
            });
        }
        return backend;
    }

    private String firstUsable() {
        StringBuilder reasons = new StringBuilder();
        for (var entry : catalog.backendsByPreference()) {
            Optional<String> reason = entry.service().unavailableReason(programs);
            if (reason.isEmpty()) {
                return entry.service().name();
            }
            reasons.append("; ").append(entry.service().name()).append(": ").append(reason.get());
        }
        throw new CtrnetException("no NAT backend works on this host" + reasons);
    }

    private static void run(Runnable step, NatBackend backend) {
        try {
            step.run();
            CrashPoint.changed();
        } catch (KernelException e) {
            throw new CtrnetException("the " + backend.name() + " rules could not be applied: " + e.getMessage(), e);
        }
    }
}
