package dev.ctrnet.core.firewall;

import dev.ctrnet.api.NatBackend;
import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.kernel.KernelException;
import dev.ctrnet.api.kernel.Programs;
import dev.ctrnet.core.CtrnetException;
import dev.ctrnet.core.plugin.DriverCatalog;
import dev.ctrnet.core.state.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps the kernel's rules equal to the plan through the chosen NAT backend. The backend in use is
 * written in {@code ROOT/firewall.json}; choosing another one with containers running moves the rules:
 * the old backend removes its own, the new one applies the whole plan, so two sets never coexist.
 */
public final class Firewall {
    /** The preferred backend when the user asked for {@code auto}. */
    private static final String PREFERRED = "nftables";

    private final Path stateFile;
    private final DriverCatalog catalog;
    private final Programs programs;
    private final String choice;

    /**
     * @param root the state root
     * @param choice {@code auto} or a backend's name
     */
    public Firewall(Path root, DriverCatalog catalog, Programs programs, String choice) {
        this.stateFile = root.resolve("firewall.json");
        this.catalog = catalog;
        this.programs = programs;
        this.choice = choice;
    }

    /** Moves the rules from {@code current} to {@code next}. */
    public void update(FirewallPlan current, FirewallPlan next) {
        if (current.equals(next)) {
            return;
        }
        Optional<String> stored = stored();
        NatBackend backend = backendFor(stored);
        if (stored.isPresent() && !stored.get().equals(backend.name())) {
            migrate(stored.get(), backend, next);
        } else {
            run(() -> backend.update(current, next, programs), backend);
            remember(backend);
        }
    }

    /** Applies the whole plan again (after a flush or a firewall restart). */
    public void apply(FirewallPlan plan) {
        Optional<String> stored = stored();
        NatBackend backend = backendFor(stored);
        if (stored.isPresent() && !stored.get().equals(backend.name())) {
            migrate(stored.get(), backend, plan);
        } else {
            run(() -> backend.apply(plan, programs), backend);
            remember(backend);
        }
    }

    /** The backend in use, or the one that would be chosen. */
    public String backendName() {
        return backendFor(stored()).name();
    }

    private void migrate(String from, NatBackend to, FirewallPlan plan) {
        NatBackend old = catalog.requireBackend(from);
        run(() -> to.apply(plan, programs), to);
        remember(to);
        run(() -> old.remove(plan.name(), programs), old);
    }

    private NatBackend backendFor(Optional<String> stored) {
        String name = choice.equals("auto") ? stored.orElseGet(this::firstUsable) : choice;
        NatBackend backend = catalog.requireBackend(name);
        if (!(stored.isPresent() && stored.get().equals(name))) {
            backend.unavailableReason(programs).ifPresent(reason -> {
                throw new CtrnetException("NAT backend " + name + " cannot work here: " + reason);
            });
        }
        return backend;
    }

    private String firstUsable() {
        StringBuilder reasons = new StringBuilder();
        var ordered = new java.util.ArrayList<>(catalog.backends());
        ordered.sort((a, b) -> Boolean.compare(!a.service().name().equals(PREFERRED), !b.service().name().equals(PREFERRED)));
        for (var entry : ordered) {
            Optional<String> reason = entry.service().unavailableReason(programs);
            if (reason.isEmpty()) {
                return entry.service().name();
            }
            reasons.append("; ").append(entry.service().name()).append(": ").append(reason.get());
        }
        throw new CtrnetException("no NAT backend works on this host" + reasons);
    }

    private Optional<String> stored() {
        return Files.exists(stateFile)
                ? Optional.of(String.valueOf(StateStore.read(stateFile).get("backend")))
                : Optional.empty();
    }

    private void remember(NatBackend backend) {
        if (!stored().filter(backend.name()::equals).isPresent()) {
            StateStore.write(stateFile, Map.of("backend", backend.name()));
        }
    }

    private static void run(Runnable step, NatBackend backend) {
        try {
            step.run();
        } catch (KernelException e) {
            throw new CtrnetException("the " + backend.name() + " rules could not be applied: " + e.getMessage(), e);
        }
    }
}
