package dev.ctrnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * Issue 10's random sequences, once per NAT backend: {@code run -d} with and without {@code -p} on three
 * networks, {@code rm -f}, {@code network create} and {@code rm}, {@code connect} and {@code disconnect}, ctrnet
 * killed in the middle of an operation, a third party flushing the rules followed by {@code network reload}, and
 * {@code system prune}. After every step the kernel must equal what the state says ({@link StateInvariant}) and
 * the state what the step predicts ({@link Model}): a refused command is one {@code ctrnet:} line and changes
 * nothing. Names, networks and ports come from small pools, so that steps collide (a taken name or port, a network
 * in use) and shrink towards the first of each.
 *
 * <p>Each try runs on a fresh state root in a network namespace of its own, which plays the host: everything
 * there is the root's. {@code -Dctrnet.random.steps=N} sets the steps per backend (2,000 by default, in
 * {@value #TRIES} tries), {@code -Dctrnet.random.seed=S} replays a seed; both are printed at the end.
 */
abstract class RandomSequenceContract {
    static final int TRIES = 8;
    private static final int STEPS = Integer.getInteger("ctrnet.random.steps", 2000);
    private static final List<String> CONTAINERS = List.of("c1", "c2", "c3", "c4", "c5", "c6");
    private static final List<String> NETWORKS = List.of("bridge", "n1", "n2");
    /** Each user network's subnet: always the same, so that one created again never overlaps another. */
    private static final Map<String, String> SUBNETS = Map.of("n1", "10.81.0.0/24", "n2", "10.82.0.0/24");
    /** No port first, so that a failing step shrinks towards none. */
    private static final List<Optional<String>> PORTS = List.of(Optional.empty(), Optional.of("8001:80"),
            Optional.of("8002:80"), Optional.of("8001:80/udp"));

    /**
     * The commands killed, each with how many kernel changes it makes at most (CrashAtEveryChangeContract counts
     * them: run 14, rm 5, network create 7, network rm 3, connect 8, disconnect 2; one more lets the command finish).
     */
    enum Interrupted {
        RUN(15), RM(6), NETWORK_CREATE(8), NETWORK_RM(4), CONNECT(9), DISCONNECT(3);

        final int changes;

        Interrupted(int changes) {
            this.changes = changes;
        }
    }

    private final String backend;
    private final String tag;
    /** Every host this JVM made, for a name of its own: jqwik makes an instance per property. */
    private static final AtomicInteger HOSTS = new AtomicInteger();
    private Host current;

    /** {@code tag} keeps this backend's roots and namespaces apart from the other's. */
    RandomSequenceContract(String backend, String tag) {
        this.backend = backend;
        this.tag = tag;
    }

    /** The shell command that flushes the packet filter, as an administrator or a firewall restart would. */
    abstract String flushCommand();

    @Property(tries = TRIES)
    @AddLifecycleHook(Report.class)
    void everyStepKeepsTheKernelEqualToTheState(@ForAll("sequences") ActionChain<Host> chain) {
        chain.run();
    }

    /**
     * The invariant can fail: it names a link, a lease, a default route and rules that the state does not explain,
     * and holds again once they are put right.
     */
    @Example
    void theInvariantSeesWhatTheStateDoesNotExplain() {
        Host host = freshHost();
        host.run("c1", "bridge", Optional.of("8001:80"));
        host.assertSeen("ip link add stray0 type veth peer name stray1", "link stray0 (veth) belongs to nothing",
                "ip link del stray0");
        Path lease = host.root().resolve("ipam/bridge/172.17.255.200");
        host.assertSeen("echo " + "0".repeat(64) + " > " + lease, "lease bridge 172.17.255.200 " + "0".repeat(64)
                + " belongs to no record's attachment", "rm " + lease);
        String netns = (String) host.ctrnet.inspect("c1").get("netns");
        host.assertSeen("nsenter --net=" + netns + " ip route del default", "c1 has default routes []",
                "nsenter --net=" + netns + " ip route add default via 172.17.0.1");
        host.assertSeen(String.join(" ", flushCommand()), "published port tcp *:8001 -> 172.17.0.2:80 is missing",
                String.join(" ", host.ctrnet.command("network", "reload")));
    }

    @Provide
    Arbitrary<ActionChain<Host>> sequences() {
        Arbitrary<String> names = Arbitraries.of(CONTAINERS);
        Arbitrary<String> networks = Arbitraries.of(NETWORKS);
        Arbitrary<String> userNetworks = Arbitraries.of("n1", "n2", "bridge");
        Arbitrary<Optional<String>> ports = Arbitraries.of(PORTS);
        return ActionChain.startWith(this::freshHost)
                .withAction(16, (Action.Independent<Host>) () -> Combinators.combine(names, networks, ports)
                        .as((name, network, port) -> Transformer.<Host>mutate(
                                "run -d --name " + name + " --network " + network + port.map(p -> " -p " + p).orElse(""),
                                h -> h.run(name, network, port))))
                .withAction(10, (Action.Independent<Host>) () -> names
                        .map(name -> Transformer.<Host>mutate("rm -f " + name, h -> h.remove(name))))
                .withAction(4, (Action.Independent<Host>) () -> userNetworks
                        .map(n -> Transformer.<Host>mutate("network create " + n, h -> h.createNetwork(n))))
                .withAction(4, (Action.Independent<Host>) () -> userNetworks
                        .map(n -> Transformer.<Host>mutate("network rm " + n, h -> h.removeNetwork(n))))
                .withAction(6, (Action.Independent<Host>) () -> Combinators.combine(networks, names)
                        .as((n, c) -> Transformer.<Host>mutate("network connect " + n + " " + c, h -> h.connect(n, c))))
                .withAction(4, (Action.Independent<Host>) () -> Combinators.combine(networks, names)
                        .as((n, c) -> Transformer.<Host>mutate("network disconnect " + n + " " + c,
                                h -> h.disconnect(n, c))))
                .withAction(2, Action.just(Transformer.mutate("system prune", Host::prune)))
                .withAction(2, Action.just(Transformer.mutate("flush the rules, then network reload", Host::flushAndReload)))
                .withAction(1, (Action.Independent<Host>) () -> Combinators.combine(Arbitraries.of(Interrupted.values()),
                                Arbitraries.integers().between(0, 9), names, networks, ports)
                        .as((op, at, name, network, port) -> Transformer.<Host>mutate(
                                "kill -9 during " + op + " at " + at + " (" + name + ", " + network + port.map(p -> ", -p " + p)
                                        .orElse("") + "), then system prune",
                                h -> h.killedDuring(op, at, name, network, port))))
                .withMaxTransformations(STEPS / TRIES);
    }

    @AfterProperty
    void tearDown() {
        if (current != null) {
            current.remove();
            current = null;
        }
    }

    private Host freshHost() {
        tearDown();
        current = new Host(backend, tag + "-" + HOSTS.incrementAndGet(), flushCommand());
        return current;
    }

    /**
     * The environment that makes ctrnet die as {@code kill -9} would right after a kernel change of {@code op}, the
     * {@code at}-th modulo what it makes ({@code CTRNET_CRASH_AFTER_CHANGE}, which runs the command in a process of its own).
     */
    static Map<String, String> killedAt(Interrupted op, int at) {
        return Map.of("CTRNET_CRASH_AFTER_CHANGE", Integer.toString(1 + at % op.changes));
    }

    /** The state root and the namespace playing its host, the model of what its state must be, and the steps. */
    static final class Host {
        /** Steps taken by every try of this JVM, for the report. */
        static final AtomicInteger STEPS_TAKEN = new AtomicInteger();
        /** Time spent checking the invariant, for the report. */
        static final AtomicLong CHECK_NANOS = new AtomicLong();

        private final IsolatedHost host;
        private final Ctrnet ctrnet;
        private final String flush;
        private Model model;
        private boolean failed;

        Host(String backend, String name, String flush) {
            this.host = new IsolatedHost(backend, "random-" + name);
            this.ctrnet = host.ctrnet();
            this.flush = flush;
            this.model = Model.of(host.check());
        }

        void run(String container, String network, Optional<String> port) {
            boolean allowed = !model.containers().containsKey(container) && model.hasNetwork(network)
                    && port.map(p -> !model.portTaken(label(p))).orElse(true);
            List<String> args = new ArrayList<>(List.of("run", "-d", "--name", container, "--network", network));
            port.ifPresent(p -> args.addAll(List.of("-p", p)));
            args.addAll(List.of("--", "sleep", "900"));
            step(allowed, model.with(container, new Model.Container(List.of(network), port.map(p -> List.of(label(p)))
                    .orElse(List.of()))), args);
        }

        void remove(String container) {
            step(model.containers().containsKey(container), model.without(container), List.of("rm", "-f", container));
        }

        void createNetwork(String network) {
            step(!model.hasNetwork(network), model.withNetwork(network),
                    List.of("network", "create", "--subnet", SUBNETS.getOrDefault(network, "10.89.0.0/24"), network));
        }

        void removeNetwork(String network) {
            boolean allowed = model.networks().contains(network) && !model.inUse(network);
            step(allowed, model.withoutNetwork(network), List.of("network", "rm", network));
        }

        void connect(String network, String container) {
            boolean allowed = model.hasNetwork(network) && model.containers().containsKey(container)
                    && !model.containers().get(container).networks().contains(network) && !model.portsTakenFrom(container);
            step(allowed, allowed ? model.reattached(container, network, true) : model,
                    List.of("network", "connect", network, container));
        }

        void disconnect(String network, String container) {
            boolean allowed = model.hasNetwork(network) && model.containers().containsKey(container)
                    && model.containers().get(container).networks().contains(network);
            step(allowed, allowed ? model.reattached(container, network, false) : model,
                    List.of("network", "disconnect", network, container));
        }

        void prune() {
            step(true, model, List.of("system", "prune"));
        }

        void flushAndReload() {
            host.inHost(flush).ok();
            step(true, model, List.of("network", "reload"));
        }

        /**
         * Kills ctrnet in the middle of {@code op} (see {@link #killedAt}); {@code system prune} must then bring the
         * kernel back to what the state says, whatever state the killed command left (its journal is walked back or
         * finished); a second {@code rm -f} of a killed rm then finds nothing, or finishes what is left.
         */
        void killedDuring(Interrupted op, int at, String container, String network, Optional<String> port) {
            List<String> args = switch (op) {
                case RUN -> {
                    List<String> run = new ArrayList<>(List.of("run", "-d", "--name", container, "--network", network));
                    port.ifPresent(p -> run.addAll(List.of("-p", p)));
                    run.addAll(List.of("--", "sleep", "900"));
                    yield run;
                }
                case RM -> List.of("rm", "-f", container);
                case NETWORK_CREATE -> List.of("network", "create", "--subnet",
                        SUBNETS.getOrDefault(network, "10.89.0.0/24"), network);
                case NETWORK_RM -> List.of("network", "rm", network);
                case CONNECT -> List.of("network", "connect", network, container);
                case DISCONNECT -> List.of("network", "disconnect", network, container);
            };
            reported("killed at " + killedAt(op, at) + ": ctrnet " + String.join(" ", args), () -> {
                Shell.Result killed = ctrnet.runWith(killedAt(op, at), args.toArray(String[]::new));
                if (killed.exit() != 137 && killed.exit() != 0) {
                    killed.refused();
                }
                ctrnet.ok("system", "prune");
                if (op == Interrupted.RM) {
                    Shell.Result again = ctrnet.run("rm", "-f", container);
                    if (again.exit() != 0) {
                        again.refused();
                    }
                }
                model = Model.of(checked());
            });
        }

        /**
         * Runs {@code ctrnet ARGS}, which must succeed when {@code allowed} and be refused otherwise; then the
         * kernel must equal the state, and the state be {@code expected} (or unchanged, when refused).
         */
        private void step(boolean allowed, Model expected, List<String> args) {
            reported("ctrnet " + String.join(" ", args), () -> {
                Shell.Result result = ctrnet.run(args.toArray(String[]::new));
                if (allowed) {
                    result.ok();
                } else {
                    result.refused();
                }
                Model now = Model.of(checked());
                assertEquals(allowed ? expected : model, now, "the state after ctrnet " + String.join(" ", args));
                model = now;
            });
        }

        /**
         * Runs a step, printing its first failure in this host at once: jqwik reports it once shrinking is over,
         * which takes minutes when every try runs real commands.
         */
        private void reported(String what, Runnable step) {
            try {
                step.run();
            } catch (AssertionError e) {
                if (!failed) {
                    failed = true;
                    System.out.println(host.root().getFileName() + ": " + what + " failed: " + e.getMessage());
                }
                throw e;
            }
        }

        private StateRecords checked() {
            STEPS_TAKEN.incrementAndGet();
            long started = System.nanoTime();
            try {
                return host.check();
            } finally {
                CHECK_NANOS.addAndGet(System.nanoTime() - started);
            }
        }

        Path root() {
            return host.root();
        }

        /** After {@code change}, the invariant fails naming {@code violation}; after {@code undo}, it holds again. */
        void assertSeen(String change, String violation, String undo) {
            host.inHost(change).ok();
            AssertionError seen = assertThrows(AssertionError.class, host::check, "after " + change);
            assertTrue(seen.getMessage().contains(violation), "after " + change + ": " + seen.getMessage());
            host.inHost(undo).ok();
            host.check();
        }

        void remove() {
            host.close();
        }

        private static String label(String port) {
            String[] parts = port.split("/");
            return parts[0].split(":")[0] + "/" + (parts.length > 1 ? parts[1] : "tcp");
        }
    }

    /** Prints the steps, the seed and the time each backend took, and replays {@code -Dctrnet.random.seed}. */
    static final class Report implements AroundPropertyHook {
        @Override
        public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
            Optional.ofNullable(System.getProperty("ctrnet.random.seed")).filter(s -> !s.isBlank())
                    .ifPresent(seed -> context.attributes().setSeed(seed));
            int before = Host.STEPS_TAKEN.get();
            long checking = Host.CHECK_NANOS.get();
            long started = System.nanoTime();
            PropertyExecutionResult result = property.execute();
            System.out.printf("%s: %s, %d steps in %d tries, seed %s, %.0f s (%.0f s checking the invariant)%n",
                    context.containerClass().getSimpleName(), result.status(), Host.STEPS_TAKEN.get() - before,
                    result.countTries(), result.seed().orElse("?"), (System.nanoTime() - started) / 1e9,
                    (Host.CHECK_NANOS.get() - checking) / 1e9);
            return result;
        }
    }
}
