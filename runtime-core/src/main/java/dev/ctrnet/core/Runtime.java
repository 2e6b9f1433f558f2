package dev.ctrnet.core;

import dev.ctrnet.api.Attachment;
import dev.ctrnet.api.Endpoint;
import dev.ctrnet.api.Network;
import dev.ctrnet.api.NetworkDriver;
import dev.ctrnet.api.NetworkSpec;
import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.firewall.PublishedPort;
import dev.ctrnet.api.kernel.Kernel;
import dev.ctrnet.api.kernel.KernelException;
import dev.ctrnet.api.kernel.NetworkNamespace;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.api.net.PortMapping;
import dev.ctrnet.core.container.ConnectTarget;
import dev.ctrnet.core.container.ContainerLauncher;
import dev.ctrnet.core.container.ContainerRecord;
import dev.ctrnet.core.container.ContainerSpec;
import dev.ctrnet.core.container.ContainerState;
import dev.ctrnet.core.container.EtcFiles;
import dev.ctrnet.core.container.NetworkAttachment;
import dev.ctrnet.core.container.ProcessEndpoint;
import dev.ctrnet.core.container.ProcessTable;
import dev.ctrnet.core.firewall.AppliedFirewall;
import dev.ctrnet.core.firewall.Firewall;
import dev.ctrnet.core.firewall.FirewallPlanner;
import dev.ctrnet.core.ipam.Ipam;
import dev.ctrnet.core.ipam.SubnetPool;
import dev.ctrnet.core.kernel.NativeNamespaces;
import dev.ctrnet.core.plugin.DriverCatalog;
import dev.ctrnet.core.state.StateLock;
import dev.ctrnet.core.state.StateStore;
import dev.ctrnet.core.undo.KernelChange;
import dev.ctrnet.core.undo.RecordingKernel;
import dev.ctrnet.core.undo.Rollback;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ctrnet's Java API: networks and containers, as the CLI uses them and as an embedding program can.
 * Every operation that changes something takes the state root's lock, records each kernel change's
 * undo before making it, and on failure walks everything back, so a failed call leaves nothing behind.
 */
public final class Runtime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Runtime.class);
    /** The networks that exist without being created, and their drivers. */
    private static final Map<String, String> BUILT_IN_NETWORKS = Map.of("bridge", "bridge", "host", "host", "none", "none");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RuntimeConfig config;
    private final StateStore store;
    private final Ipam ipam;
    private final DriverCatalog catalog;
    private final NativeNamespaces namespaces;
    private final Kernel kernel;
    private final Firewall firewall;
    private final ContainerLauncher launcher;

    @Inject
    Runtime(RuntimeConfig config, StateStore store, Ipam ipam, DriverCatalog catalog, NativeNamespaces namespaces,
            Kernel kernel, Firewall firewall) {
        this.config = config;
        this.store = store;
        this.ipam = ipam;
        this.catalog = catalog;
        this.namespaces = namespaces;
        this.kernel = kernel;
        this.firewall = firewall;
        this.launcher = new ContainerLauncher(config.runDir());
    }

    /** Opens the runtime of {@code config}'s state root. Close it to release its netlink sockets. */
    public static Runtime open(RuntimeConfig config) {
        return DaggerCoreComponent.factory().create(config).runtime();
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

    /** The NAT backend in use (or that would be chosen). */
    public String natBackend() {
        return firewall.backendName();
    }

    // ---- networks ----

    /** Creates a network. */
    public Network createNetwork(NetworkSpec spec) {
        try (StateLock lock = store.lock()) {
            if (store.network(spec.name()).isPresent() || BUILT_IN_NETWORKS.containsKey(spec.name())) {
                throw new CtrnetException("network " + spec.name() + " already exists");
            }
            return createNetworkLocked(spec);
        }
    }

    /** Every network, the built-in ones included. */
    public List<Network> networks() {
        try (StateLock lock = store.lock()) {
            BUILT_IN_NETWORKS.keySet().stream().sorted().forEach(this::networkLocked);
            return store.networks();
        }
    }

    /** The network named {@code name}. */
    public Network network(String name) {
        try (StateLock lock = store.lock()) {
            return networkLocked(name);
        }
    }

    /** The containers attached to {@code network}, by name, then the processes connected to it ({@code pid:N}). */
    public List<String> containersOn(String network) {
        List<String> out = new ArrayList<>();
        store.containers().stream().filter(c -> c.attachment(network).isPresent()).map(ContainerRecord::name)
                .forEach(out::add);
        store.endpoints().stream().filter(e -> e.networks().stream().anyMatch(a -> a.network().equals(network)))
                .map(ProcessEndpoint::label).forEach(out::add);
        return out;
    }

    /**
     * Gives a container, or any process's network namespace, an interface on another network: the
     * next free {@code ethN}, and the default route when the namespace has none yet.
     */
    public NetworkAttachment connect(String networkName, ConnectTarget target, Optional<InetAddress> ip) {
        try (StateLock lock = store.lock()) {
            Network network = networkLocked(networkName);
            NetworkDriver driver = catalog.requireDriver(network.driver());
            if (driver.sharesHostNamespace()) {
                throw new CtrnetException("network " + network.name() + " is the host's namespace: it cannot be connected");
            }
            if (ip.isPresent() && !driver.usesAddresses()) {
                throw new CtrnetException("--ip needs a network with addresses; network " + network.name() + " has none");
            }
            Sandbox sandbox = sandbox(target, true);
            if (sandbox.networks().stream().anyMatch(a -> a.network().equals(network.name()))) {
                throw new CtrnetException(sandbox.label() + " is already connected to network " + network.name());
            }
            var inside = kernel.namespaces().netlink(sandbox.namespace());
            String iface = nextInterfaceName(inside.listLinks());
            boolean defaultRoute = !network.internal() && network.gateway().isPresent()
                    && inside.listRoutes().stream().noneMatch(dev.ctrnet.api.kernel.Route::isDefault);
            Rollback rollback = new Rollback();
            Optional<InetAddress> leased = Optional.empty();
            try {
                Optional<Cidr> address = Optional.empty();
                if (driver.usesAddresses()) {
                    Cidr subnet = network.subnet().orElseThrow();
                    leased = Optional.of(ipam.allocate(network.name(), subnet, network.gateway().orElseThrow(),
                            sandbox.id(), ip));
                    address = Optional.of(new Cidr(leased.get(), subnet.prefixLength()));
                }
                Endpoint endpoint = new Endpoint(sandbox.label(), sandbox.id(), sandbox.namespace(), iface, address,
                        network.gateway(), defaultRoute);
                Attachment attachment = driver.attach(network, endpoint, new RecordingKernel(kernel, rollback));
                NetworkAttachment added = new NetworkAttachment(network.name(), iface, attachment);
                List<NetworkAttachment> networks = new ArrayList<>(sandbox.networks());
                networks.add(added);
                sandbox.save(networks);
                rollback.commit();
                return added;
            } catch (RuntimeException e) {
                rollback.undoAll(kernel, e);
                leased.ifPresent(a -> ipam.release(network.name(), a, sandbox.id()));
                throw e;
            }
        }
    }

    /** Takes away what {@link #connect} (or {@code run}) gave on {@code networkName}: the interface, its routes, its lease. */
    public void disconnect(String networkName, ConnectTarget target) {
        try (StateLock lock = store.lock()) {
            Sandbox sandbox = sandbox(target, false);
            NetworkAttachment attachment = sandbox.networks().stream().filter(a -> a.network().equals(networkName))
                    .findFirst().orElseThrow(() -> new CtrnetException(sandbox.label() + " is not connected to network "
                            + networkName));
            Network network = store.network(networkName).orElseThrow(() -> noSuchNetwork(networkName));
            Attachment made = attachment.attachment();
            Endpoint endpoint = new Endpoint(sandbox.label(), sandbox.id(), sandbox.namespace(), attachment.interfaceName(),
                    made.address(), made.gateway(), made.defaultRoute());
            ignoreGone(() -> catalog.requireDriver(network.driver()).detach(network, endpoint, made, kernel, false));
            made.address().ifPresent(a -> ipam.release(networkName, a.address(), sandbox.id()));
            sandbox.save(sandbox.networks().stream().filter(a -> a != attachment).toList());
        }
    }

    /** Removes a network; refused while containers are attached. */
    public void removeNetwork(String name) {
        try (StateLock lock = store.lock()) {
            if (BUILT_IN_NETWORKS.containsKey(name)) {
                throw new CtrnetException(name + " is a pre-defined network and cannot be removed");
            }
            Network network = store.network(name).orElseThrow(() -> noSuchNetwork(name));
            List<String> attached = containersOn(name);
            if (!attached.isEmpty()) {
                throw new CtrnetException("network " + name + " has containers attached (" + String.join(", ", attached)
                        + "): remove them first");
            }
            List<Network> rest = store.networks().stream().filter(n -> !n.name().equals(name)).toList();
            firewall.update(FirewallPlanner.plan(ruleSet(), rest, store.containers(), catalog));
            catalog.requireDriver(network.driver()).delete(network, kernel);
            ipam.deleteNetwork(name);
            store.deleteNetwork(name);
        }
    }

    // ---- containers ----

    /**
     * Creates a container: its namespaces, its interface on the network, its address, its published
     * ports, its files. It does not start it.
     */
    public ContainerRecord create(ContainerSpec spec) {
        try (StateLock lock = store.lock()) {
            String name = spec.name().orElseGet(this::generatedName);
            if (store.container(name).isPresent()) {
                throw new CtrnetException("container name " + name + " is already in use: remove it or choose another --name");
            }
            Network network = networkLocked(spec.network());
            NetworkDriver driver = catalog.requireDriver(network.driver());
            Optional<AppliedFirewall> applied = firewall.applied();
            FirewallPlan before = planOf(applied);
            checkPorts(spec, network, driver, before);
            if (spec.ip().isPresent() && !driver.usesAddresses()) {
                throw new CtrnetException("--ip needs a network with addresses; network " + network.name() + " ("
                        + network.driver() + ") has none");
            }
            if (spec.rootfs().isPresent() && !Files.isDirectory(spec.rootfs().get())) {
                throw new CtrnetException("--rootfs " + spec.rootfs().get() + " is not a directory");
            }
            long started = System.nanoTime();
            String id = HexFormat.of().formatHex(randomBytes(32));
            String hostname = spec.hostname().orElse(id.substring(0, 12));
            Path dir = store.containerDir(name);
            Rollback rollback = new Rollback();
            RecordingKernel recording = new RecordingKernel(kernel, rollback);
            Optional<InetAddress> leased = Optional.empty();
            try {
                Path uts = config.runDir().resolve("uts").resolve(id);
                rollback.record(new KernelChange.NamespaceCreated(new NetworkNamespace(uts)));
                namespaces.createUts(uts, hostname);
                Optional<Path> netnsPath = Optional.empty();
                NetworkNamespace sandbox = NetworkNamespace.host();
                if (!driver.sharesHostNamespace()) {
                    netnsPath = Optional.of(config.runDir().resolve("netns").resolve(id));
                    sandbox = recording.namespaces().create(netnsPath.get());
                    recording.namespaces().netlink(sandbox).setUp("lo", true);
                }
                Optional<Cidr> address = Optional.empty();
                if (driver.usesAddresses()) {
                    Cidr subnet = network.subnet().orElseThrow();
                    leased = Optional.of(ipam.allocate(network.name(), subnet, network.gateway().orElseThrow(), id, spec.ip()));
                    address = Optional.of(new Cidr(leased.get(), subnet.prefixLength()));
                }
                boolean defaultRoute = !network.internal() && network.gateway().isPresent();
                Endpoint endpoint = new Endpoint(name, id, sandbox, "eth0", address, network.gateway(), defaultRoute);
                long sandboxReady = System.nanoTime();
                Attachment attachment = driver.attach(network, endpoint, recording);
                long attached = System.nanoTime();
                EtcFiles.write(dir, hostname, address.map(Cidr::address), driver.sharesHostNamespace());
                ContainerRecord record = new ContainerRecord(name, id, Instant.now().toString(), spec.command(), hostname,
                        spec.rootfs().map(p -> p.toAbsolutePath().normalize()), spec.env(), spec.ports(), netnsPath, uts,
                        List.of(new NetworkAttachment(network.name(), "eth0", attachment)), 0, 0, spec.detached(),
                        spec.autoRemove());
                store.save(record);
                long saved = System.nanoTime();
                firewall.update(applied, FirewallPlanner.withContainer(before, record));
                rollback.commit();
                long done = System.nanoTime();
                LOG.debug("created {} in {} ms: namespaces and address {} ms, {} driver {} ms, files {} ms, firewall {} ms",
                        name, millis(done - started), millis(sandboxReady - started), driver.name(),
                        millis(attached - sandboxReady), millis(saved - attached), millis(done - saved));
                return record;
            } catch (RuntimeException e) {
                rollback.undoAll(kernel, e);
                leased.ifPresent(ip -> ipam.release(network.name(), ip, id));
                store.deleteContainer(name);
                throw e;
            }
        }
    }

    /** Starts a created container attached to this process's terminal; returns its process. */
    public Process startForeground(ContainerRecord container) {
        Process process = launcher.startForeground(container, store.containerDir(container.name()));
        recordProcess(container, process);
        return process;
    }

    /**
     * Starts a created container in the background; returns once its process runs. With
     * {@code --rm} it is removed when it ends (through the CLI named in {@link RuntimeConfig#launcher()}).
     */
    public ContainerState startDetached(ContainerRecord container) {
        Optional<String> remove = Optional.empty();
        if (container.autoRemove()) {
            String cli = config.launcher().orElseThrow(() -> new CtrnetException(
                    "run -d --rm needs the ctrnet command to remove the container later; it is not known here"));
            remove = Optional.of(cli + " --root " + config.root() + " rm -f " + container.name());
        }
        Process process = launcher.startDetached(container, store.containerDir(container.name()), remove);
        recordProcess(container, process);
        return state(container.name());
    }

    /** Writes a foreground container's exit status, so that {@code ps -a} and {@code inspect} show it. */
    public void recordExit(ContainerRecord container, int exitCode) {
        writeExitCode(container.name(), exitCode);
    }

    /** The container named {@code name} and whether it runs. */
    public ContainerState state(String name) {
        return state(store.container(name).orElseThrow(() -> noSuchContainer(name)));
    }

    /** Every container, running or not. */
    public List<ContainerState> states() {
        return store.containers().stream().map(this::state).toList();
    }

    /** The command line that runs {@code command} inside a running container. */
    public List<String> execCommand(String name, List<String> command) {
        ContainerState state = state(name);
        if (!state.running()) {
            throw new CtrnetException("container " + name + " is not running");
        }
        return ContainerLauncher.execCommand(state.record(), command);
    }

    /** The file a detached container writes its output to. */
    public Path logFile(String name) {
        ContainerRecord record = store.container(name).orElseThrow(() -> noSuchContainer(name));
        return store.containerDir(record.name()).resolve("log");
    }

    /** Stops a container: SIGTERM, then SIGKILL after {@code timeoutSeconds}. */
    public void stop(String name, int timeoutSeconds) {
        ContainerState state = state(name);
        if (state.running()) {
            terminate(state.record(), timeoutSeconds);
        }
    }

    /**
     * Removes a container and everything made for it: published ports, interfaces, namespaces,
     * leases, files. A running one is refused unless {@code force}, which kills it first.
     */
    public void remove(String name, boolean force) {
        try (StateLock lock = store.lock()) {
            ContainerState state = state(name);
            if (state.running()) {
                if (!force) {
                    throw new CtrnetException("container " + name + " is running: stop it first, or use rm -f");
                }
                terminate(state.record(), 0);
            }
            removeLocked(state.record());
        }
    }

    // ---- system ----

    /**
     * Reclaims what was left behind: namespace mounts, veths, leases and rules of containers whose
     * record is gone, records of {@code --rm} containers whose process is gone.
     *
     * @return one line per thing reclaimed
     */
    public List<String> prune() {
        List<String> done = new ArrayList<>();
        try (StateLock lock = store.lock()) {
            for (ContainerState s : states()) {
                if (!s.running() && s.record().autoRemove() && s.record().pid() != 0) {
                    removeLocked(s.record());
                    done.add("removed exited --rm container " + s.record().name());
                }
            }
            for (ProcessEndpoint e : store.endpoints()) {
                if (!ProcessTable.isAlive(e.pid(), e.pidStartTime())) {
                    e.networks().forEach(a -> a.attachment().address()
                            .ifPresent(ip -> ipam.release(a.network(), ip.address(), e.id())));
                    store.deleteEndpoint(e.id());
                    done.add("forgot " + e.label() + ", which has exited");
                }
            }
            Set<String> ids = new java.util.HashSet<>();
            store.containers().forEach(c -> ids.add(c.id()));
            store.endpoints().forEach(e -> ids.add(e.id()));
            for (String kind : List.of("netns", "uts")) {
                for (Path p : list(config.runDir().resolve(kind))) {
                    if (!ids.contains(p.getFileName().toString())) {
                        ignoreGone(() -> namespaces.unmountAndRemove(p));
                        done.add("removed " + kind + " mount " + p);
                    }
                }
            }
            for (Network n : store.networks()) {
                ipam.leases(n.name()).forEach((ip, owner) -> {
                    if (!ids.contains(owner)) {
                        ipam.release(n.name(), ip, owner);
                        done.add("released " + IpAddresses.format(ip) + " on " + n.name());
                    }
                });
            }
            firewall.apply(plan());
        }
        return done;
    }

    /** Makes the kernel match the state again: bridges and every rule (after a flush or firewall restart). */
    public void reload() {
        try (StateLock lock = store.lock()) {
            for (Network n : store.networks()) {
                catalog.requireDriver(n.driver()).create(n, kernel);
            }
            firewall.apply(plan());
        }
    }

    // ---- internals ----

    /** Where {@code connect} and {@code disconnect} work: a namespace, what is attached to it, how to save that. */
    private record Sandbox(String id, String label, NetworkNamespace namespace, List<NetworkAttachment> networks,
            java.util.function.Consumer<List<NetworkAttachment>> saver) {
        void save(List<NetworkAttachment> updated) {
            saver.accept(updated);
        }
    }

    private Sandbox sandbox(ConnectTarget target, boolean creating) {
        if (target instanceof ConnectTarget.Container c) {
            ContainerRecord record = store.container(c.name()).orElseThrow(() -> noSuchContainer(c.name()));
            if (record.netns().isEmpty()) {
                throw new CtrnetException("container " + c.name() + " shares the host's network namespace: it cannot be"
                        + " connected to networks");
            }
            return new Sandbox(record.id(), record.name(), new NetworkNamespace(record.netns().get()), record.networks(),
                    updated -> {
                        ContainerRecord next = record.withNetworks(old -> updated);
                        store.save(next);
                        Optional<AppliedFirewall> applied = firewall.applied();
                        firewall.update(applied, FirewallPlanner.withContainer(
                                FirewallPlanner.withoutContainer(planOf(applied), record.name()), next));
                    });
        }
        long pid = ((ConnectTarget.Process) target).pid();
        long start = ProcessTable.startTime(pid).orElseThrow(() -> new CtrnetException("no process with PID " + pid));
        NetworkNamespace namespace = NetworkNamespace.ofProcess(pid);
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
                    return new ProcessEndpoint(HexFormat.of().formatHex(randomBytes(32)), pid, start, List.of());
                });
        return new Sandbox(endpoint.id(), endpoint.label(), namespace, endpoint.networks(), updated -> {
            if (updated.isEmpty()) {
                store.deleteEndpoint(endpoint.id());
            } else {
                store.save(new ProcessEndpoint(endpoint.id(), pid, start, updated));
            }
        });
    }

    /** The first {@code ethN} not taken in the namespace. */
    private static String nextInterfaceName(List<dev.ctrnet.api.kernel.Link> links) {
        Set<String> taken = new java.util.HashSet<>();
        links.forEach(l -> taken.add(l.name()));
        for (int n = 0; ; n++) {
            if (!taken.contains("eth" + n)) {
                return "eth" + n;
            }
        }
    }

    private Network createNetworkLocked(NetworkSpec spec) {
        NetworkDriver driver = catalog.requireDriver(spec.driver());
        Optional<Cidr> subnet = Optional.empty();
        Optional<InetAddress> gateway = Optional.empty();
        if (driver.usesAddresses()) {
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
            subnet = Optional.of(chosen);
            gateway = Optional.of(spec.gateway().orElseGet(() -> chosen.addressAt(java.math.BigInteger.ONE)));
            if (gateway.get().equals(chosen.networkAddress()) || gateway.get().equals(chosen.lastAddress())) {
                throw new CtrnetException("gateway " + IpAddresses.format(gateway.get()) + " is the network or broadcast address of " + chosen);
            }
        } else if (spec.subnet().isPresent() || spec.gateway().isPresent()) {
            throw new CtrnetException("driver " + driver.name() + " does not use addresses: drop --subnet and --gateway");
        }
        Network requested = new Network(spec.name(), HexFormat.of().formatHex(randomBytes(32)), driver.name(), subnet,
                gateway, spec.internal(), spec.options());
        Network network;
        try {
            network = driver.validate(requested);
        } catch (IllegalArgumentException e) {
            throw new CtrnetException(e.getMessage(), e);
        }
        Rollback rollback = new Rollback();
        try {
            driver.create(network, new RecordingKernel(kernel, rollback));
            store.save(network);
            firewall.update(plan());
            rollback.commit();
            return network;
        } catch (RuntimeException e) {
            rollback.undoAll(kernel, e);
            store.deleteNetwork(network.name());
            throw e;
        }
    }

    private Network networkLocked(String name) {
        Optional<Network> stored = store.network(name);
        if (stored.isPresent()) {
            return stored.get();
        }
        String driver = BUILT_IN_NETWORKS.get(name);
        if (driver == null) {
            throw noSuchNetwork(name);
        }
        // the default bridge network's device, like Docker's docker0: ctrnet0 for the default root
        Map<String, String> options = driver.equals("bridge") ? Map.of("bridge", "ctrnet" + config.scope() + "0") : Map.of();
        return createNetworkLocked(new NetworkSpec(name, driver, Optional.empty(), Optional.empty(), false, options));
    }

    private void checkPorts(ContainerSpec spec, Network network, NetworkDriver driver, FirewallPlan published) {
        if (spec.ports().isEmpty()) {
            return;
        }
        if (driver.firewallZone(network).isEmpty()) {
            throw new CtrnetException("network " + network.name() + " (driver " + driver.name()
                    + ") cannot publish ports: drop -p, or use a bridge network");
        }
        for (PublishedPort theirs : published.ports()) {
            for (PortMapping mine : spec.ports()) {
                if (mine.conflictsWith(theirs.mapping())) {
                    throw new CtrnetException("port " + mine.hostPorts() + "/" + mine.protocol().id() + " on "
                            + IpAddresses.format(mine.hostIp()) + " is already published by container "
                            + theirs.container());
                }
            }
        }
        for (PortMapping mine : spec.ports()) {
            HostPorts.requireFree(mine);
        }
    }

    private void removeLocked(ContainerRecord record) {
        Optional<AppliedFirewall> applied = firewall.applied();
        firewall.update(applied, FirewallPlanner.withoutContainer(planOf(applied), record.name()));
        NetworkNamespace sandbox = record.netns().map(NetworkNamespace::new).orElse(NetworkNamespace.host());
        for (NetworkAttachment a : record.networks()) {
            Optional<Network> network = store.network(a.network());
            if (network.isPresent()) {
                Endpoint endpoint = new Endpoint(record.name(), record.id(), sandbox, a.interfaceName(),
                        a.attachment().address(), a.attachment().gateway(), a.attachment().defaultRoute());
                ignoreGone(() -> catalog.requireDriver(network.get().driver())
                        .detach(network.get(), endpoint, a.attachment(), kernel, true));
            }
            a.attachment().address().ifPresent(ip -> ipam.release(a.network(), ip.address(), record.id()));
        }
        record.netns().ifPresent(p -> ignoreGone(() -> namespaces.delete(new NetworkNamespace(p))));
        ignoreGone(() -> namespaces.unmountAndRemove(record.uts()));
        store.deleteContainer(record.name());
    }

    private FirewallPlan plan() {
        return FirewallPlanner.plan(ruleSet(), store.networks(), store.containers(), catalog);
    }

    /** The plan the kernel holds: as applied, or rebuilt from the records when nothing was recorded. */
    private FirewallPlan planOf(Optional<AppliedFirewall> applied) {
        return applied.map(AppliedFirewall::plan).orElseGet(this::plan);
    }

    /** This state root's firewall rule set: {@code ctrnet}, or {@code ctrnet-SCOPE} for another root. */
    private String ruleSet() {
        return config.scope().isEmpty() ? "ctrnet" : "ctrnet-" + config.scope();
    }

    private void recordProcess(ContainerRecord container, Process process) {
        long pid = ProcessTable.containerInit(process.pid(), 5000).orElse(0L);
        long start = pid == 0 ? 0 : ProcessTable.startTime(pid).orElse(0);
        try (StateLock lock = store.lock()) {
            store.save(container.withProcess(pid, start));
        }
    }

    private ContainerState state(ContainerRecord record) {
        boolean running = ProcessTable.isAlive(record.pid(), record.pidStartTime());
        Optional<Integer> exit = Optional.empty();
        Path exitFile = store.containerDir(record.name()).resolve("exitcode");
        if (!running && Files.exists(exitFile)) {
            try {
                exit = Optional.of(Integer.parseInt(Files.readString(exitFile).trim()));
            } catch (IOException | NumberFormatException e) {
                LOG.debug("unreadable exit code of {}: {}", record.name(), e.getMessage());
            }
        }
        return new ContainerState(record, running, exit);
    }

    private void writeExitCode(String name, int code) {
        try {
            Files.writeString(store.containerDir(name).resolve("exitcode"), code + "\n");
        } catch (IOException e) {
            LOG.debug("cannot write the exit code of {}: {}", name, e.getMessage());
        }
    }

    private static void terminate(ContainerRecord record, int timeoutSeconds) {
        Optional<ProcessHandle> handle = ProcessHandle.of(record.pid());
        if (handle.isEmpty()) {
            return;
        }
        if (timeoutSeconds > 0) {
            handle.get().destroy();
            try {
                handle.get().onExit().get(timeoutSeconds, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                LOG.debug("{} did not stop on SIGTERM within {}s", record.name(), timeoutSeconds);
            }
        }
        handle.get().destroyForcibly();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (ProcessTable.isAlive(record.pid(), record.pidStartTime()) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    private String generatedName() {
        String[] left = {"brisk", "calm", "eager", "keen", "lucid", "nimble", "quiet", "swift", "tidy", "vivid"};
        String[] right = {"bridge", "cable", "frame", "packet", "port", "route", "socket", "switch", "veth", "wire"};
        for (int i = 0; i < 100; i++) {
            String name = left[RANDOM.nextInt(left.length)] + "_" + right[RANDOM.nextInt(right.length)] + "_"
                    + HexFormat.of().formatHex(randomBytes(2));
            if (store.container(name).isEmpty()) {
                return name;
            }
        }
        return "ctr_" + HexFormat.of().formatHex(randomBytes(6));
    }

    private static String millis(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.2f", nanos / 1e6);
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
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

    private static void ignoreGone(Runnable step) {
        try {
            step.run();
        } catch (KernelException e) {
            if (e.errno() != KernelException.ENOENT && e.errno() != KernelException.ENODEV) {
                throw e;
            }
        }
    }

    private static CtrnetException noSuchNetwork(String name) {
        return new CtrnetException("network " + name + " not found: create it with ctrnet network create " + name);
    }

    private static CtrnetException noSuchContainer(String name) {
        return new CtrnetException("no such container: " + name);
    }
}
