package dev.ctrnet.core;

import dev.ctrnet.api.Attachment;
import dev.ctrnet.api.Endpoint;
import dev.ctrnet.api.Network;
import dev.ctrnet.api.NetworkDriver;
import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.firewall.PublishedPort;
import dev.ctrnet.api.kernel.Kernel;
import dev.ctrnet.api.kernel.NetworkNamespace;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.api.net.PortMapping;
import dev.ctrnet.core.container.AutoRemoval;
import dev.ctrnet.core.container.CommandNotStarted;
import dev.ctrnet.core.container.ContainerLauncher;
import dev.ctrnet.core.container.ContainerRecord;
import dev.ctrnet.core.container.ContainerSpec;
import dev.ctrnet.core.container.ContainerState;
import dev.ctrnet.core.container.EtcFiles;
import dev.ctrnet.core.container.NetworkAttachment;
import dev.ctrnet.core.container.ProcessTable;
import dev.ctrnet.core.container.StartedContainer;
import dev.ctrnet.core.container.Stdio;
import dev.ctrnet.core.container.RootFs;
import dev.ctrnet.core.container.Sandboxes;
import dev.ctrnet.core.firewall.AppliedFirewall;
import dev.ctrnet.core.firewall.Firewall;
import dev.ctrnet.core.firewall.FirewallPlanner;
import dev.ctrnet.core.ipam.Ipam;
import dev.ctrnet.core.kernel.KernelThread;
import dev.ctrnet.core.names.NameServer;
import dev.ctrnet.core.plugin.DriverCatalog;
import dev.ctrnet.core.state.FileModes;
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
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.inject.Inject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The container lifecycle: create (namespaces, interface, address, ports, files), start, stop, remove. */
final class Containers {
    private static final Logger LOG = LoggerFactory.getLogger(Containers.class);
    /** The creator every record of this process names: read from /proc once, as it never changes. */
    private static final ContainerRecord.ProcessId THIS_PROCESS = new ContainerRecord.ProcessId(
            ProcessHandle.current().pid(), ProcessTable.startTime(ProcessHandle.current().pid()).orElse(0));
    private static final String[] NAME_LEFT = {"brisk", "calm", "eager", "keen", "lucid", "nimble", "quiet", "swift", "tidy", "vivid"};
    private static final String[] NAME_RIGHT = {"bridge", "cable", "frame", "packet", "port", "route", "socket", "switch", "veth", "wire"};

    private final RuntimeConfig config;
    private final StateStore store;
    private final Ipam ipam;
    private final DriverCatalog catalog;
    private final Sandboxes sandboxes;
    private final Kernel kernel;
    private final Firewall firewall;
    private final Networks networks;
    private final ContainerLauncher launcher;
    private final NameService names;
    private final LoopbackProxies proxies;
    private final Journals journals;

    @Inject
    Containers(RuntimeConfig config, StateStore store, Ipam ipam, DriverCatalog catalog, Sandboxes sandboxes,
            Kernel kernel, Firewall firewall, Networks networks, NameService names,
            LoopbackProxies proxies, Journals journals) {
        this.config = config;
        this.store = store;
        this.ipam = ipam;
        this.catalog = catalog;
        this.sandboxes = sandboxes;
        this.kernel = kernel;
        this.firewall = firewall;
        this.networks = networks;
        this.launcher = new ContainerLauncher(config.runDir());
        this.names = names;
        this.proxies = proxies;
        this.journals = journals;
    }

    ContainerRecord create(ContainerSpec spec) {
        try (StateLock lock = store.lock()) {
            String name = spec.name().orElseGet(this::generatedName);
            if (store.container(name).isPresent()) {
                throw new CtrnetException("container name " + name + " is already in use: remove it or choose another --name");
            }
            // everything is checked against the network as it is or would be made, before anything changes
            Network prospect = networks.prospect(spec.network());
            NetworkDriver driver = catalog.requireDriver(prospect.driver());
            Optional<AppliedFirewall> applied = firewall.applied();
            checkPorts(spec, prospect, driver, firewall.planOf(applied));
            if (spec.ip6().isPresent() && driver.usesAddresses() && !prospect.ipv6()) {
                throw new CtrnetException("--ip6 needs a network with IPv6; network " + prospect.name() + " has none"
                        + " (create one with --ipv6)");
            }
            if ((spec.ip().isPresent() || spec.ip6().isPresent()) && !driver.usesAddresses()) {
                throw new CtrnetException("--ip needs a network with addresses; network " + prospect.name() + " ("
                        + prospect.driver() + ") has none");
            }
            names.requireNamesFor(prospect, spec.aliases());
            // a rootfs that could lead a mount out of it is refused first, before anything looks inside it
            spec.rootfs().ifPresent(ContainerLauncher::checkRootfs);
            spec.rootfs().ifPresent(rootfs -> RootFs.requireCommand(rootfs, spec.command(), spec.env()));
            Network network = prospect;
            if (networks.makeIfNew(network)) {
                applied = firewall.applied(); // a new network changed the rules
            }
            FirewallPlan before = firewall.planOf(applied);
            long started = System.nanoTime();
            String id = Ids.newId();
            String hostname = spec.hostname().orElse(id.substring(0, 12));
            Rollback rollback = journals.rollBack(Operation.of(Operation.Kind.RUN, "container", name, "id", id,
                    "network", network.name()));
            RecordingKernel recording = new RecordingKernel(kernel, rollback);
            Optional<Ipam.Lease> leased = Optional.empty();
            Optional<KernelThread<Path>> utsMade = Optional.empty();
            try {
                Path uts = config.runDir().resolve("uts").resolve(id);
                rollback.record(new KernelChange.UtsCreated(uts));
                // made on a thread of its own while the network is set up: joined before the record names it
                utsMade = Optional.of(sandboxes.startUts(uts, hostname));
                Optional<Path> netnsPath = Optional.empty();
                NetworkNamespace sandbox = NetworkNamespace.host();
                if (!driver.sharesHostNamespace()) {
                    netnsPath = Optional.of(config.runDir().resolve("netns").resolve(id));
                    sandbox = recording.namespaces().create(netnsPath.get());
                    recording.namespaces().netlink(sandbox).setUp("lo", true);
                    CrashPoint.reached("run-netns");
                }
                if (driver.usesAddresses()) {
                    leased = Optional.of(ipam.lease(network, id, spec.ip(), spec.ip6()));
                    CrashPoint.reached("run-lease");
                }
                Optional<Cidr> address = leased.map(Ipam.Lease::address);
                boolean defaultRoute = !network.internal() && network.gateway().isPresent();
                Endpoint endpoint = new Endpoint(name, id, sandbox, "eth0", address, network.gateway(), defaultRoute,
                        leased.flatMap(Ipam.Lease::address6));
                long sandboxReady = System.nanoTime();
                Attachment attachment = driver.attach(network, endpoint, recording);
                long attached = System.nanoTime();
                sandboxes.linksMade();
                CrashPoint.reached("run-attach");
                utsMade.get().join();
                long utsJoined = System.nanoTime();
                CrashPoint.reached("run-uts");
                NetworkAttachment onNetwork = new NetworkAttachment(network.name(), "eth0", attachment, spec.aliases());
                names.register(network, id, Optional.of(name), onNetwork, rollback);
                ContainerRecord record = new ContainerRecord(name, id, Instant.now().toString(), spec.command(), hostname,
                        spec.rootfs().map(p -> p.toAbsolutePath().normalize()), spec.env(), spec.ports(), netnsPath, uts,
                        List.of(onNetwork), 0, 0, spec.detached(), spec.autoRemove(), THIS_PROCESS, spec.privileges());
                // the record before the files: a crash in between leaves a container that rm and prune know
                store.save(record);
                CrashPoint.reached("run-record");
                EtcFiles.write(store.containerDir(name), hostname, address.map(Cidr::address), driver.sharesHostNamespace(),
                        names.of(network).map(NameServer::address));
                CrashPoint.reached("run-files");
                long saved = System.nanoTime();
                rollback.record(new KernelChange.FirewallUpdated());
                firewall.update(applied, FirewallPlanner.withContainer(before, record));
                CrashPoint.reached("run-firewall");
                proxies.start(record, rollback);
                rollback.commit();
                long done = System.nanoTime();
                LOG.debug("created {} in {} ms: namespaces and address {} ms, {} driver {} ms, UTS namespace waited for"
                        + " {} ms, files {} ms, firewall {} ms", name, millis(done - started),
                        millis(sandboxReady - started), driver.name(), millis(attached - sandboxReady),
                        millis(utsJoined - attached), millis(saved - utsJoined), millis(done - saved));
                return record;
            } catch (RuntimeException e) {
                utsMade.ifPresent(made -> awaitBeforeUndo(made, e));
                rollback.undoAll(e);
                leased.ifPresent(lease -> ipam.release(network.name(), lease, id));
                store.deleteContainer(name);
                if (rollback.firewallChanged()) {
                    firewall.renderAgain(e);
                }
                rollback.end();
                throw e;
            }
        }
    }

    /**
     * Waits for a namespace still being made, so that the undo finds it made; its own failure has left nothing
     * behind, and is told beside {@code failure} unless it is that failure.
     */
    private static void awaitBeforeUndo(KernelThread<Path> making, RuntimeException failure) {
        try {
            making.join();
        } catch (RuntimeException e) {
            if (e != failure) {
                failure.addSuppressed(e);
            }
        }
    }

    Process startForeground(ContainerRecord container, Stdio stdio) {
        long started = System.nanoTime();
        // A container that inherits none of this process's streams (one the service runs for a client) leads
        // a process group of its own: in ours, a kill(0) of its command would reach the service and its
        // other containers. One that inherits them stays in ours, where the user's terminal reaches it.
        ContainerLauncher.Grouping grouping = stdio.equals(Stdio.inherit()) ? ContainerLauncher.Grouping.SHARED
                : ContainerLauncher.Grouping.OWN_GROUP;
        Process process = launcher.startChild(container, store.containerDir(container.name()), stdio, grouping);
        LOG.debug("{}: command exec'd as process {} in {} ms", container.name(), process.pid(),
                millis(System.nanoTime() - started));
        recordPid(container, process.pid());
        return process;
    }

    /**
     * Starts a detached container as a child of this process, which records its end ({@link #recordEnd}).
     * A command that cannot start is the user's error: said in a sentence, and nothing is left.
     */
    StartedContainer startDetachedChild(ContainerRecord container) {
        Path dir = store.containerDir(container.name());
        long started = System.nanoTime();
        Process process;
        try {
            process = launcher.startChild(container, dir, ContainerLauncher.detachedStdio(dir),
                    ContainerLauncher.Grouping.OWN_SESSION);
        } catch (RuntimeException e) {
            // a command that cannot start, or a root file system that cannot be prepared: nothing is left
            removeIfPresent(container);
            throw e;
        }
        CrashPoint.reached("run-started");
        LOG.debug("{}: command exec'd as process {} in {} ms", container.name(), process.pid(),
                millis(System.nanoTime() - started));
        recordPid(container, process.pid());
        ContainerState state = store.container(container.name()).filter(c -> c.id().equals(container.id()))
                .map(this::stateOf).orElseGet(() -> new ContainerState(container, process.isAlive(), Optional.empty()));
        return new StartedContainer(state, process);
    }

    /**
     * Records the exit status of a container whose first process was this process's child, and removes
     * an {@code --rm} one; nothing when it was removed, or replaced by another of its name, meanwhile.
     */
    void recordEnd(ContainerRecord container, int exitStatus) {
        try (StateLock lock = store.lock()) {
            Optional<ContainerRecord> current = store.container(container.name()).filter(c -> c.id().equals(container.id()));
            if (current.isPresent()) {
                recordExit(current.get(), exitStatus);
                if (current.get().autoRemove()) {
                    removeLocked(current.get());
                }
            }
        }
    }

    ContainerState startDetached(ContainerRecord container, AutoRemoval removal) {
        Optional<ContainerLauncher.Remover> remove = Optional.empty();
        if (container.autoRemove() && removal == AutoRemoval.BY_MONITOR) {
            String cli = config.launcher().orElseThrow(() -> new CtrnetException(
                    "run -d --rm needs the ctrnet command to remove the container later; it is not known here"));
            remove = Optional.of(new ContainerLauncher.Remover(cli, config.root(), config.pluginDir()));
        }
        long monitor = launcher.startDetached(container, store.containerDir(container.name()), remove);
        CrashPoint.reached("run-started");
        long pid = recordProcess(container, monitor);
        // run -d returns once the command runs: its first process must have become the command
        boolean commandRuns = pid != 0 && ProcessTable.awaitExec(pid, ContainerLauncher::isLaunchStep, 2000);
        LOG.debug("{}: first process {}, {}", container.name(), pid, commandRuns ? "runs its command" : "has ended");
        if (!commandRuns) {
            failIfItCouldNotStart(container);
        }
        return store.container(container.name()).filter(c -> c.id().equals(container.id())).map(this::stateOf)
                .orElseGet(() -> new ContainerState(container, false, Optional.empty()));
    }

    /**
     * A detached command that ended before its process could be seen either ran and finished, or never
     * started; the latter is the user's error (126/127, as sh and Docker report it): say why, leave nothing.
     */
    private void failIfItCouldNotStart(ContainerRecord container) {
        Path dir = store.containerDir(container.name());
        Optional<Integer> code = Optional.empty();
        for (int i = 0; i < 200 && code.isEmpty() && Files.isDirectory(dir); i++) {
            code = exitCodeIn(dir);
            if (code.isEmpty()) {
                sleep(10);
            }
        }
        if (code.isPresent() && ContainerLauncher.COULD_NOT_START.contains(code.get())) {
            String why = lastLine(dir.resolve("log")).orElse("exit status " + code.get());
            removeIfPresent(container);
            throw new CtrnetException("the command of container " + container.name() + " could not start: " + why);
        }
    }

    /** Removes {@code container} unless it was removed, or replaced by another of its name, meanwhile. */
    void removeIfPresent(ContainerRecord container) {
        try (StateLock lock = store.lock()) {
            store.container(container.name()).filter(c -> c.id().equals(container.id())).ifPresent(this::removeLocked);
        }
    }

    /**
     * Waits until a detached container's command has ended and its monitor has recorded the exit status
     * (for a monitor that was killed, only briefly). It needs no open runtime, so that a caller holds
     * nothing while it waits.
     */
    static void awaitEnd(Path containerDir, ContainerRecord container) throws InterruptedException {
        while (ProcessTable.isAlive(container.pid(), container.pidStartTime())) {
            Thread.sleep(END_POLL_MILLIS);
        }
        long deadline = System.nanoTime() + EXIT_RECORD_MILLIS * 1_000_000;
        while (exitCodeIn(containerDir).isEmpty() && Files.isDirectory(containerDir) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    /** Writes a foreground container's exit status, so that {@code ps -a} and {@code inspect} show it. */
    void recordExit(ContainerRecord container, int exitCode) {
        try {
            FileModes.writePrivate(store.containerDir(container.name()).resolve("exitcode"), exitCode + "\n");
        } catch (IOException e) {
            LOG.debug("cannot write the exit code of {}: {}", container.name(), e.getMessage());
        }
    }

    ContainerState state(String name) {
        return stateOf(store.container(name).orElseThrow(() -> CtrnetException.noSuchContainer(name)));
    }

    List<ContainerState> states() {
        return store.containers().stream().map(this::stateOf).toList();
    }

    Process exec(String name, List<String> command, Stdio stdio) {
        ContainerState state = state(name);
        if (!state.running()) {
            throw new CtrnetException("container " + name + " is not running");
        }
        return ContainerLauncher.exec(state.record(), command, stdio);
    }

    Path logFile(String name) {
        ContainerRecord record = store.container(name).orElseThrow(() -> CtrnetException.noSuchContainer(name));
        return store.containerDir(record.name()).resolve("log");
    }

    void stop(String name, int timeoutSeconds) {
        ContainerState state = state(name);
        if (state.running()) {
            sandboxes.terminate(state.record(), timeoutSeconds);
        }
    }

    void remove(String name, boolean force) {
        try (StateLock lock = store.lock()) {
            ContainerState state = state(name);
            if (state.running()) {
                if (!force) {
                    throw new CtrnetException("container " + name + " is running: stop it first, or use rm -f");
                }
                sandboxes.terminate(state.record(), 0);
            }
            removeLocked(state.record());
        }
    }

    /**
     * Walks a container back: its {@code [::1]} proxies and rules first, then names, interfaces, leases,
     * namespaces and the record last, so that a crash half-way leaves a record that {@code rm} can finish. The
     * caller holds the lock.
     */
    void removeLocked(ContainerRecord record) {
        // finished, not walked back, after a crash: the journal names the container, and rm's steps are done again
        Journal journal = journals.finishing(Operation.of(Operation.Kind.RM, "container", record.name(),
                "id", record.id()));
        try {
            if (record.pid() == 0) {
                // a process started but not recorded would keep the namespaces, and the veth, of an address given back
                ContainerLauncher.killUnrecorded(record, store.containerDir(record.name()));
            }
            proxies.stop(record);
            Optional<AppliedFirewall> applied = firewall.applied();
            firewall.update(applied, FirewallPlanner.withoutContainer(firewall.planOf(applied), record));
            CrashPoint.reached("rm-firewall");
            NetworkNamespace sandbox = record.netns().map(NetworkNamespace::new).orElse(NetworkNamespace.host());
            for (NetworkAttachment a : record.networks()) {
                Optional<Network> network = store.network(a.network());
                if (network.isPresent()) {
                    names.unregister(network.get(), record.id());
                    Endpoint endpoint = a.endpoint(record.name(), record.id(), sandbox);
                    AlreadyGone.ignore(() -> catalog.requireDriver(network.get().driver())
                            .detach(network.get(), endpoint, a.attachment(), kernel, true));
                }
                ipam.release(a.network(), a.attachment(), record.id());
            }
            CrashPoint.reached("rm-leases");
            record.netns().ifPresent(p -> AlreadyGone.ignore(() -> kernel.namespaces().delete(new NetworkNamespace(p))));
            AlreadyGone.ignore(() -> sandboxes.removeNamespaceFile(record.uts()));
            CrashPoint.reached("rm-namespaces");
            store.deleteContainer(record.name());
        } finally {
            journal.remove();
        }
    }


    private void checkPorts(ContainerSpec spec, Network network, NetworkDriver driver, FirewallPlan published) {
        if (spec.ports().isEmpty()) {
            return;
        }
        if (driver.firewallZone(network).isEmpty()) {
            throw new CtrnetException("network " + network.name() + " (driver " + driver.name()
                    + ") cannot publish ports: drop -p, or use a bridge network");
        }
        for (PortMapping mine : spec.ports()) {
            if (!(mine.hostIp() instanceof Inet4Address) && !network.ipv6()) {
                throw new CtrnetException("port " + mine.describe() + " is published on an IPv6 address, but network "
                        + network.name() + " has no IPv6: create one with --ipv6");
            }
        }
        requireUnpublished(spec.ports(), published, "");
    }

    /**
     * Refuses {@code ports} when a container other than {@code publisher} has published one of them in
     * {@code published}, or a process on the host listens on one.
     */
    static void requireUnpublished(List<PortMapping> ports, FirewallPlan published, String publisher) {
        for (PublishedPort theirs : published.ports()) {
            for (PortMapping mine : ports) {
                if (!theirs.container().equals(publisher) && mine.conflictsWith(theirs.mapping())) {
                    throw new CtrnetException("port " + mine.hostPorts() + "/" + mine.protocol().id() + " on "
                            + IpAddresses.format(mine.hostIp()) + " is already published by container "
                            + theirs.container());
                }
            }
        }
        ports.forEach(HostPorts::requireFree);
    }

    /**
     * Records the container's first process, once seen; 0 when it ended first. A record removed in the
     * meantime (a quick {@code --rm}) is not written back.
     */
    private long recordProcess(ContainerRecord container, long ancestor) {
        return recordPid(container, ProcessTable.containerInit(ancestor, 5000).orElse(0L));
    }

    /** Records {@code pid} as the container's first process (see {@link #recordProcess}). */
    private long recordPid(ContainerRecord container, long pid) {
        long start = pid == 0 ? 0 : ProcessTable.startTime(pid).orElse(0);
        try (StateLock lock = store.lock()) {
            store.container(container.name()).filter(c -> c.id().equals(container.id()))
                    .ifPresent(c -> store.save(c.withProcess(pid, start)));
        }
        return pid;
    }

    private ContainerState stateOf(ContainerRecord record) {
        boolean running = ProcessTable.isAlive(record.pid(), record.pidStartTime());
        Optional<Integer> exit = running ? Optional.empty() : exitCodeIn(store.containerDir(record.name()));
        return new ContainerState(record, running, exit);
    }

    /** Whether a record is what an interrupted {@code run} left: never started, and its creator is gone. */
    static boolean isAbandoned(ContainerState state) {
        ContainerRecord r = state.record();
        return r.pid() == 0 && state.exitCode().isEmpty() && !r.creator().isAlive();
    }

    /** How often {@link #awaitEnd} looks whether a container's process still runs. */
    private static final long END_POLL_MILLIS = 100;
    /** How long the monitor may take to record the exit status once the command has ended. */
    private static final long EXIT_RECORD_MILLIS = 2000;

    private static Optional<Integer> exitCodeIn(Path containerDir) {
        try {
            return Optional.of(Integer.parseInt(Files.readString(containerDir.resolve("exitcode")).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty(); // not written yet, or the container is gone
        }
    }

    private static Optional<String> lastLine(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.stream().filter(l -> !l.isBlank()).reduce((a, b) -> b);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String generatedName() {
        for (int i = 0; i < 100; i++) {
            String name = Ids.pick(NAME_LEFT) + "_" + Ids.pick(NAME_RIGHT) + "_" + Ids.hex(2);
            if (store.container(name).isEmpty()) {
                return name;
            }
        }
        return "ctr_" + Ids.hex(6);
    }

    /** A duration for the debug log, formatted only if the message is logged: formatting cost ~3% of a create. */
    private static Millis millis(long nanos) {
        return new Millis(nanos);
    }

    private record Millis(long nanos) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.2f", nanos / 1e6);
        }
    }
}
