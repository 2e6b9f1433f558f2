package dev.ctrnet.core;

import dev.ctrnet.api.Network;
import dev.ctrnet.api.NetworkSpec;
import dev.ctrnet.api.UserInput;
import dev.ctrnet.core.container.AutoRemoval;
import dev.ctrnet.core.container.ConnectTarget;
import dev.ctrnet.core.container.ContainerRecord;
import dev.ctrnet.core.container.ContainerSpec;
import dev.ctrnet.core.container.ContainerState;
import dev.ctrnet.core.container.NetworkAttachment;
import dev.ctrnet.core.container.StartedContainer;
import dev.ctrnet.core.container.Stdio;
import dev.ctrnet.core.doctor.Destination;
import dev.ctrnet.core.doctor.Diagnosis;
import dev.ctrnet.core.firewall.Firewall;
import dev.ctrnet.core.kernel.NativeNamespaces;
import dev.ctrnet.core.names.NameServerStatus;
import dev.ctrnet.core.plugin.DriverCatalog;
import dev.ctrnet.core.state.StateStore;
import dev.ctrnet.core.topology.Topology;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.inject.Inject;

/**
 * ctrnet's Java API: networks and containers, as the CLI uses them and as an embedding program can.
 * Every operation that changes something takes the state root's lock, records each kernel change's
 * undo before making it, and on failure walks everything back, so a failed call leaves nothing behind.
 * Failures a user can act on are {@link CtrnetException}s whose message says what to do.
 */
public final class Runtime implements AutoCloseable {
    private final RuntimeConfig config;
    private final DriverCatalog catalog;
    private final NativeNamespaces namespaces;
    private final Firewall firewall;
    private final Networks networks;
    private final Containers containers;
    private final Connections connections;
    private final Reclaimer reclaimer;
    private final TopologySurvey survey;
    private final Doctor doctor;
    private final DryRuns dryRuns;
    private final NameService names;
    private final Recovery recovery;

    @Inject
    Runtime(RuntimeConfig config, DriverCatalog catalog, NativeNamespaces namespaces, Firewall firewall,
            Networks networks, Containers containers, Connections connections, Reclaimer reclaimer,
            TopologySurvey survey, Doctor doctor, DryRuns dryRuns, NameService names, StateStore store,
            Recovery recovery) {
        this.config = config;
        this.catalog = catalog;
        this.namespaces = namespaces;
        this.firewall = firewall;
        this.networks = networks;
        this.containers = containers;
        this.connections = connections;
        this.reclaimer = reclaimer;
        this.survey = survey;
        this.doctor = doctor;
        this.dryRuns = dryRuns;
        this.names = names;
        this.recovery = recovery;
        store.afterLocking(recovery::recoverLocked);
    }

    /** Opens the runtime of {@code config}'s state root. Close it to release its netlink sockets. */
    public static Runtime open(RuntimeConfig config) {
        if (Files.exists(config.root()) && !Files.isDirectory(config.root())) {
            throw new CtrnetException("the state root " + UserInput.quote(config.root().toString())
                    + " is not a folder: give --root a folder, or a path where one can be made");
        }
        Runtime runtime = DaggerCoreComponent.factory().create(config).runtime();
        try {
            // what a crashed command left is put right first: looking costs one listing of the journal folder
            runtime.recovery.atStart();
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
        return runtime;
    }

    @Override
    public void close() {
        namespaces.close();
    }

    /** The configuration this runtime was opened with. */
    public RuntimeConfig config() {
        return config;
    }

    /** The drivers and backends found. */
    public DriverCatalog catalog() {
        return catalog;
    }

    /**
     * Starts a dry run ({@code --dry-run}): call its {@link DryRun#runtime() runtime} as this one, and it says
     * what that would do, as a shell script, without changing the kernel or this state root. Holds this root's
     * lock until closed.
     */
    public DryRun dryRun() {
        return dryRuns.start();
    }

    /** The NAT backend in use (or that would be chosen). */
    public String natBackend() {
        return firewall.backendName();
    }

    // ---- networks ----

    /** Creates a network: its subnet (from the pool unless given), its driver's host-side objects, its rules. */
    public Network createNetwork(NetworkSpec spec) {
        return networks.create(spec);
    }

    /** Every network, the built-in ones ({@code bridge}, {@code host}, {@code none}) included. */
    public List<Network> networks() {
        return networks.list();
    }

    /** The network named {@code name}. */
    public Network network(String name) {
        return networks.get(name);
    }

    /** The containers attached to {@code network}, by name, then the processes connected to it ({@code pid:N}). */
    public List<String> containersOn(String network) {
        return networks.members(network);
    }

    /**
     * The name server of {@code network}: where its containers ask and whether it runs; none for a network
     * without names (the built-in ones, and those whose driver does not route through the host).
     */
    public Optional<NameServerStatus> nameServer(Network network) {
        return names.status(network);
    }

    /** Removes a network, its bridge, its name server and its rules; refused while anything is attached. */
    public void removeNetwork(String name) {
        networks.remove(name);
    }

    /**
     * Gives a container, or any process's network namespace, an interface on another network: the
     * next free {@code ethN}, and the default route when the namespace has none yet.
     */
    public NetworkAttachment connect(String network, ConnectTarget target, Optional<InetAddress> ip) {
        return connect(network, target, ip, List.of());
    }

    /**
     * {@link #connect(String, ConnectTarget, Optional)}, and the container (or process) answers to
     * {@code aliases} too on that network's name server ({@code --network-alias}).
     */
    public NetworkAttachment connect(String network, ConnectTarget target, Optional<InetAddress> ip,
            List<String> aliases) {
        return connections.connect(network, target, ip, NetworkAttachment.requireAliases(aliases));
    }

    /** Takes away what {@link #connect} (or {@code run}) gave on {@code network}: the interface, its routes, its lease. */
    public void disconnect(String network, ConnectTarget target) {
        connections.disconnect(network, target);
    }

    // ---- containers ----

    /**
     * Creates a container: its namespaces, its interface on the network, its address, its published
     * ports, its files. It does not start it.
     */
    public ContainerRecord create(ContainerSpec spec) {
        return containers.create(spec);
    }

    /**
     * Starts a created container attached to {@code stdio} (this process's terminal:
     * {@link Stdio#inherit()}); returns its process.
     */
    public Process startForeground(ContainerRecord container, Stdio stdio) {
        return containers.startForeground(container, stdio);
    }

    /**
     * Starts a created container in the background; returns once its process runs. With
     * {@code --rm} it is removed when it ends (through the CLI named in {@link RuntimeConfig#launcher()}).
     */
    public ContainerState startDetached(ContainerRecord container) {
        return containers.startDetached(container, AutoRemoval.BY_MONITOR);
    }

    /**
     * Starts a created container in the background; returns once its process runs. An {@code --rm}
     * container is removed as {@code removal} says: with {@link AutoRemoval#BY_CALLER}, the caller
     * waits for its end ({@link #awaitEnd}) and removes it ({@link #removeEnded}).
     */
    public ContainerState startDetached(ContainerRecord container, AutoRemoval removal) {
        return containers.startDetached(container, removal);
    }

    /**
     * Starts a created container in the background as a child of this process, which must outlive it:
     * returns once its command has been exec'd, with its process. The caller waits for that process and
     * reports its end with {@link #recordEnd}, which records the exit status and removes an {@code --rm}
     * container; the ctrnet service does so. No monitor process runs beside it.
     *
     * @throws dev.ctrnet.core.container.CommandNotStarted when the command is not found or cannot be
     *     executed; the container is then removed
     */
    public StartedContainer startDetachedChild(ContainerRecord container) {
        return containers.startDetachedChild(container);
    }

    /**
     * Records that the first process of {@code container}, started by {@link #startDetachedChild}, ended
     * with {@code exitStatus}, and removes the container if it was run with {@code --rm}.
     */
    public void recordEnd(ContainerRecord container, int exitStatus) {
        containers.recordEnd(container, exitStatus);
    }

    /**
     * Waits until the detached container {@code container} (as {@link #startDetached} returned it) has
     * ended and its exit status is recorded. It needs no open runtime: a caller that waits for many
     * containers holds no runtime's resources meanwhile.
     */
    public static void awaitEnd(RuntimeConfig config, ContainerRecord container) throws InterruptedException {
        Containers.awaitEnd(new StateStore(config.root()).containerDir(container.name()), container);
    }

    /** Removes {@code container}, unless it was removed, or replaced by another of its name, meanwhile. */
    public void removeEnded(ContainerRecord container) {
        containers.removeIfPresent(container);
    }

    /** Writes a foreground container's exit status, so that {@code ps -a} and {@code inspect} show it. */
    public void recordExit(ContainerRecord container, int exitCode) {
        containers.recordExit(container, exitCode);
    }

    /** The container named {@code name} and whether it runs. */
    public ContainerState state(String name) {
        return containers.state(name);
    }

    /** Every container, running or not. */
    public List<ContainerState> states() {
        return containers.states();
    }

    /**
     * Runs {@code command} inside a running container, attached to {@code stdio}, with the container's
     * environment, capabilities and no_new_privs; returns its process.
     */
    public Process exec(String name, List<String> command, Stdio stdio) {
        return containers.exec(name, command, stdio);
    }

    /** The file a detached container writes its output to. */
    public Path logFile(String name) {
        return containers.logFile(name);
    }

    /** Stops a container: SIGTERM, then SIGKILL after {@code timeoutSeconds}. */
    public void stop(String name, int timeoutSeconds) {
        containers.stop(name, timeoutSeconds);
    }

    /**
     * Removes a container and everything made for it: published ports, interfaces, namespaces,
     * leases, files. A running one is refused unless {@code force}, which kills it first.
     */
    public void remove(String name, boolean force) {
        containers.remove(name, force);
    }

    // ---- system ----

    /**
     * Reclaims what was left behind: what each interrupted command changed (walked back, or the command finished:
     * see {@link dev.ctrnet.core.undo.Journal}), namespace mounts, leases and names of containers whose record is gone,
     * records of exited {@code --rm} containers and of exited connected processes; re-applies the rules and
     * restarts the name servers found dead.
     *
     * @return one line per thing reclaimed
     */
    public List<String> prune() {
        List<String> pruned = reclaimer.prune();
        List<String> done = new java.util.ArrayList<>(recovery.takeDone());
        done.addAll(pruned);
        return done;
    }

    /**
     * Makes the kernel match the state again: bridges and every rule (after a flush or firewall restart), and
     * the name servers found dead.
     */
    public void reload() {
        reclaimer.reload();
    }

    // ---- pictures and diagnosis (read only) ----

    /**
     * The host's container networking as the tutorials draw it: the uplink, each network's bridge, each
     * container's cable and address, the published ports; every stored network, or only {@code network}.
     */
    public Topology topology(Optional<String> network) {
        return survey.survey(network);
    }

    /**
     * Walks paths hop by hop and says what each hop shows, with the command that repairs a broken one:
     * {@code container}'s path to {@code to} (or out to the world, and in through its published ports); without
     * a container, the path to the container that has address {@code to} or publishes its port; without either,
     * every running container's path out. Changes nothing.
     */
    public List<Diagnosis> diagnose(Optional<String> container, Optional<Destination> to) {
        return doctor.diagnose(container, to);
    }
}
