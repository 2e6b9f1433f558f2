package dev.ctrnet.core.state;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.ctrnet.api.Names;
import dev.ctrnet.api.Network;
import dev.ctrnet.core.CrashPoint;
import dev.ctrnet.core.CtrnetException;
import dev.ctrnet.core.container.ContainerRecord;
import dev.ctrnet.core.container.ProcessEndpoint;
import dev.ctrnet.core.firewall.AppliedFirewall;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.LinkOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Networks and containers under the state root, one JSON file each, written atomically
 * (write-then-rename) so a reader or a crash never sees half a record. Callers hold the
 * {@link StateLock} while they change anything.
 *
 * <pre>
 * ROOT/networks/NAME.json
 * ROOT/containers/NAME/config.json   (and the container's hosts, hostname, resolv.conf, log)
 * ROOT/ipam/NETWORK/ADDRESS           (see Ipam)
 * ROOT/endpoints/ID.json             (processes connected with network connect --pid)
 * ROOT/firewall.json                 (the backend in use and the zones of the plan it applied)
 * ROOT/firewall/CONTAINER.json       (the ports of a container that the plan publishes; see FirewallRecords)
 * ROOT/host.json                     (what ctrnet found on the host before changing it: forwarding off)
 * </pre>
 *
 * <p>A write killed half way leaves a temporary file beside its record ({@code FILE.PID.N.tmp}), which
 * {@link #deleteTemporaries} reaps.
 *
 * <p>Every JSON record carries the state format it was written in ({@code "version"}, see {@link #FORMAT}),
 * so a later ctrnet reads it knowing what to expect, and an older one refuses rather than misreads it.
 * Modes: see {@link FileModes}.
 */
public final class StateStore {
    /**
     * The state format this ctrnet writes and the newest it reads. 1 is the format of the first records,
     * which carried no version: a record without one is read as 1. A field added later is read with a
     * default when missing (see {@link StateCodec}), so older records stay readable; a change that
     * cannot be read that way bumps this number. 2 moved the published ports out of {@code firewall.json}
     * into a file per container (an older ctrnet would have read a firewall without ports).
     */
    public static final int FORMAT = 2;
    private static final String VERSION = "version";
    private static final JSON JSON_OUT = JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT);
    /** Numbers the temporary files of this process (see {@link #writeTemporary}). */
    private static final AtomicLong TEMPORARIES = new AtomicLong();
    /** The name of a temporary file: the file's, the writer's pid and a counter. */
    private static final Pattern TEMPORARY = Pattern.compile(".+\\.\\d+\\.\\d+\\.tmp");

    private final Path root;
    private final FirewallRecords firewall;
    /** Run whenever the lock is taken: see {@link #afterLocking}. */
    private volatile Runnable afterLocking = () -> { };

    /** The store of state root {@code root}. */
    public StateStore(Path root) {
        this.root = root;
        this.firewall = new FirewallRecords(root);
    }

    /** The state root. */
    public Path root() {
        return root;
    }

    /** Takes the root's lock, then runs what {@link #afterLocking} set. */
    public StateLock lock() {
        StateLock lock = StateLock.acquire(root);
        try {
            afterLocking.run();
        } catch (RuntimeException | Error e) {
            lock.close();
            throw e;
        }
        return lock;
    }

    /**
     * Sets what runs each time the lock is taken, before its holder reads or changes anything: the recovery of
     * what a crashed command left, which a command that took the lock after the crash must not build on.
     */
    public void afterLocking(Runnable recovery) {
        this.afterLocking = recovery;
    }

    /** The folder of a container's files; the name is checked first, so it never leaves the state root. */
    public Path containerDir(String name) {
        return root.resolve("containers").resolve(Names.requireName(name, "container"));
    }

    /** Every network, by name. */
    public List<Network> networks() {
        return list(root.resolve("networks"), p -> StateCodec.network(read(p)));
    }

    /** The network named {@code name}. */
    public Optional<Network> network(String name) {
        if (!valid(name)) {
            return Optional.empty();
        }
        Path p = root.resolve("networks").resolve(name + ".json");
        return Files.exists(p) ? Optional.of(StateCodec.network(read(p))) : Optional.empty();
    }

    /** Writes a network. */
    public void save(Network network) {
        write(root.resolve("networks").resolve(network.name() + ".json"), StateCodec.network(network));
    }

    /** Removes a network's record. */
    public void deleteNetwork(String name) {
        delete(root.resolve("networks").resolve(name + ".json"));
    }

    /** Every container, by name. */
    public List<ContainerRecord> containers() {
        Path dir = root.resolve("containers");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<ContainerRecord> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path d : s.sorted().toList()) {
                Path config = d.resolve("config.json");
                if (Files.exists(config)) {
                    out.add(StateCodec.container(read(config)));
                }
            }
        } catch (IOException e) {
            throw new CtrnetException("cannot read " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** The container named {@code name}. */
    public Optional<ContainerRecord> container(String name) {
        if (!valid(name)) {
            return Optional.empty();
        }
        Path config = containerDir(name).resolve("config.json");
        return Files.exists(config) ? Optional.of(StateCodec.container(read(config))) : Optional.empty();
    }

    /** Writes a container's record. */
    public void save(ContainerRecord container) {
        write(containerDir(container.name()).resolve("config.json"), StateCodec.container(container));
    }

    /**
     * Removes a container's folder and everything in it. A detached container's monitor, which is no
     * process of ours, writes the exit code into the folder once the container's process has ended, and
     * may do so while the folder goes: a file that appears meanwhile is deleted on another pass.
     */
    public void deleteContainer(String name) {
        Path dir = containerDir(name);
        for (int pass = 1; ; pass++) {
            try {
                deleteTree(dir);
                return;
            } catch (CtrnetException e) {
                if (!(e.getCause() instanceof java.nio.file.DirectoryNotEmptyException) || pass == 20) {
                    throw e;
                }
            }
        }
    }

    /**
     * Deletes the container folders that hold no record, which only a run killed while it wrote its record
     * leaves: the caller holds the lock, under which a run makes the folder and writes the record.
     *
     * @return the names of the folders deleted
     */
    public List<String> deleteFoldersWithoutRecord() {
        Path dir = root.resolve("containers");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> left = s.filter(d -> Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)
                    && !Files.exists(d.resolve("config.json"))).sorted().toList();
            left.forEach(StateStore::deleteTree);
            return left.stream().map(d -> d.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new CtrnetException("cannot read " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Every process connected with {@code network connect --pid}. */
    public List<ProcessEndpoint> endpoints() {
        return list(root.resolve("endpoints"), p -> StateCodec.endpoint(read(p)));
    }

    /** Writes a process endpoint. */
    public void save(ProcessEndpoint endpoint) {
        write(root.resolve("endpoints").resolve(endpoint.id() + ".json"), StateCodec.endpoint(endpoint));
    }

    /** Removes a process endpoint's record. */
    public void deleteEndpoint(String id) {
        delete(root.resolve("endpoints").resolve(id + ".json"));
    }

    /** What the firewall holds, as last applied, if anything was: see {@link FirewallRecords} for its cost. */
    public Optional<AppliedFirewall> firewall() {
        return firewall.read();
    }

    /** The NAT backend that applied the firewall, if any did, read without the published ports. */
    public Optional<String> firewallBackend() {
        return firewall.backend();
    }

    /** Records what the firewall now holds, writing only what changed since it was last recorded. */
    public void save(AppliedFirewall applied) {
        firewall.write(applied);
    }

    /**
     * Whether IP forwarding was off before ctrnet turned it on for its networks, as recorded at that moment:
     * the firewall then forwards only traffic from or to ctrnet's own networks. Stays recorded through later
     * commands and reloads; deleting {@code ROOT/host.json} (then {@code network reload}) lifts the guard.
     */
    public boolean forwardingWasOff() {
        return forwardingGuards().ipv4();
    }

    /** Records that forwarding was off, before ctrnet turns it on (see {@link #forwardingWasOff()}). */
    public void recordForwardingWasOff() {
        recordHostFact("forwardingWasOff");
    }

    /** {@link #forwardingWasOff()} for IPv6's forwarding switch, which is a separate one. */
    public boolean forwarding6WasOff() {
        return forwardingGuards().ipv6();
    }

    /**
     * Whether IPv4's and IPv6's forwarding were off before ctrnet turned them on (see {@link #forwardingWasOff()}):
     * the firewall's guards, both from one read.
     *
     * @param ipv4 IPv4's forwarding was off
     * @param ipv6 IPv6's forwarding was off
     */
    public record ForwardingGuards(boolean ipv4, boolean ipv6) {}

    /** Both forwarding facts (see {@link ForwardingGuards}). */
    public ForwardingGuards forwardingGuards() {
        Path p = root.resolve("host.json");
        Map<String, Object> facts = Files.exists(p) ? read(p) : Map.of();
        return new ForwardingGuards(Boolean.TRUE.equals(facts.get("forwardingWasOff")),
                Boolean.TRUE.equals(facts.get("forwarding6WasOff")));
    }

    /** Records that IPv6 forwarding was off, before ctrnet turns it on. */
    public void recordForwarding6WasOff() {
        recordHostFact("forwarding6WasOff");
    }

    private void recordHostFact(String key) {
        Path p = root.resolve("host.json");
        Map<String, Object> facts = new java.util.LinkedHashMap<>(Files.exists(p) ? read(p) : Map.of());
        facts.put(key, true);
        write(p, facts);
    }

    /**
     * Copies every record (networks, containers, leases, endpoints, the firewall's and the host's) into
     * {@code target}, an empty folder, for a dry run to change instead of this root. Containers' logs and pipes,
     * the lock, plugins and runtime files (namespace mounts) are not records and stay. The caller holds the lock.
     */
    public void copyRecords(Path target) {
        for (String name : List.of("networks", "containers", "ipam", "endpoints", "firewall", "firewall.json",
                "host.json")) {
            Path from = root.resolve(name);
            if (!Files.exists(from)) {
                continue;
            }
            try (Stream<Path> s = Files.walk(from)) {
                for (Path p : s.toList()) {
                    Path to = target.resolve(root.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        FileModes.createFolders(to);
                    } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                            && !p.getFileName().toString().equals("log")) {
                        Files.copy(p, to, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            } catch (IOException e) {
                throw new CtrnetException("cannot copy the records of " + root + ": " + e.getMessage(), e);
            }
        }
    }

    /** Whether a name from the command line can name a record (and so never a path outside the root). */
    private static boolean valid(String name) {
        try {
            Names.requireName(name, "record");
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Reads a JSON record, of this state format or an older one.
     *
     * @throws CtrnetException when it cannot be read, or was written by a newer ctrnet in a format this one does not know
     */
    public static Map<String, Object> read(Path file) {
        try {
            return parse(file, Files.readAllBytes(file));
        } catch (IOException e) {
            throw new CtrnetException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** {@link #read} of the bytes {@code file} held. */
    static Map<String, Object> parse(Path file, byte[] content) {
        Map<String, Object> record;
        try {
            record = JSON.std.mapFrom(content);
        } catch (IOException e) {
            throw new CtrnetException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Object version = record.getOrDefault(VERSION, 1);
        if (!(version instanceof Number n) || n.longValue() < 1) {
            throw new CtrnetException("cannot read " + file + ": its version is " + version + ", not a state format");
        }
        if (n.longValue() > FORMAT) {
            throw new CtrnetException(file + " was written by a newer ctrnet (state format " + version
                    + "; this one reads up to " + FORMAT + "): use that ctrnet or a newer one with this state root");
        }
        return record;
    }

    /** Writes a JSON record atomically (to a temporary file, then renamed over the old one), in this state format. */
    public static void write(Path file, Map<String, Object> value) {
        writeBytes(file, encode(value, JSON_OUT));
    }

    /** {@code value} as a record of this state format, compact, as {@link #writeBytes} takes it. */
    static byte[] encode(Map<String, Object> value) {
        return encode(value, JSON.std);
    }

    private static byte[] encode(Map<String, Object> value, JSON format) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put(VERSION, FORMAT);
        record.putAll(value);
        try {
            return (format.asString(record) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("a record cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    /** Writes {@code content} to {@code file} atomically: to a temporary file, then renamed over the old one. */
    static void writeBytes(Path file, byte[] content) {
        try {
            if (!Files.isDirectory(file.getParent())) {
                FileModes.createFolders(file.getParent());
            }
            Path tmp = writeTemporary(file, content);
            CrashPoint.reached("write-" + file.getFileName());
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new CtrnetException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code content} to a new 0600 file beside {@code file}, named after it, this process and a counter,
     * so that two writers of one file never share a temporary file; one left by a process that died under the
     * same pid is stepped over.
     */
    private static Path writeTemporary(Path file, byte[] content) throws IOException {
        String prefix = file.getFileName() + "." + ProcessHandle.current().pid() + ".";
        while (true) {
            Path tmp = file.resolveSibling(prefix + TEMPORARIES.incrementAndGet() + ".tmp");
            try {
                FileModes.writeNewPrivate(tmp, content);
                return tmp;
            } catch (FileAlreadyExistsException e) {
                // left by an earlier process of this pid: take the next name
            }
        }
    }

    /**
     * Deletes the temporary files of writes that a killed process left half done (see {@link #writeTemporary}),
     * wherever records are kept. The caller holds the lock, under which every write is made, so none is under way.
     *
     * @return the files deleted
     */
    public List<Path> deleteTemporaries() {
        Path runtime = root.resolve("run");
        try (Stream<Path> s = Files.walk(root, 3)) {
            List<Path> left = s.filter(p -> !p.startsWith(runtime) && TEMPORARY.matcher(p.getFileName().toString()).matches()
                    && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList();
            left.forEach(StateStore::delete);
            return left;
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new CtrnetException("cannot read " + root + ": " + e.getMessage(), e);
        }
    }

    /** Deletes a file; one already gone is fine. */
    public static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new CtrnetException("cannot delete " + file + ": " + e.getMessage(), e);
        }
    }

    /** Deletes a folder and its content; one already gone is fine. */
    public static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            throw new CtrnetException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }

    private interface Reader<T> {
        T read(Path p);
    }

    private static <T> List<T> list(Path dir, Reader<T> reader) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().map(reader::read).toList();
        } catch (IOException e) {
            throw new CtrnetException("cannot read " + dir + ": " + e.getMessage(), e);
        }
    }
}
