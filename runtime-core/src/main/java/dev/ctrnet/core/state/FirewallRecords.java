package dev.ctrnet.core.state;

import dev.ctrnet.api.Names;
import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.firewall.PublishedPort;
import dev.ctrnet.core.CtrnetException;
import dev.ctrnet.core.firewall.AppliedFirewall;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * What the firewall holds, on disk: {@code ROOT/firewall.json} (the backend, the rule set, the zones, the
 * forwarding guard and a generation) and one {@code ROOT/firewall/NAME.json} per container with published
 * ports. Publishing or unpublishing one container's ports rewrites the small header and that container's
 * file, whatever the number of containers, where one file of every port grew with each of them.
 *
 * <p>Reading it whole costs a read of every container's file, so this JVM keeps the last one it read or
 * wrote per state root, valid as long as the header on disk is byte for byte the one it went with: every
 * write of the header carries a new random generation, so any change by any process, this one or another,
 * makes the kept copy stale and the next read goes to the files. The files stay the only truth. Only what
 * is read under the state lock is kept: without it, a read may meet another process half-way through a
 * write (the new header, some old files).
 *
 * <p>Format 1 kept the ports in {@code firewall.json} itself ({@code "ports"}); such a header is read as
 * it is, and the next write moves its ports into the files.
 */
final class FirewallRecords {
    private static final String HEADER = "firewall.json";
    private static final String PORTS = "firewall";
    private static final String JSON = ".json";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** By state root: the header's bytes and what it and the files held when this JVM last read or wrote them. */
    private static final Map<Path, Known> KNOWN = new ConcurrentHashMap<>();

    /**
     * @param header the header's bytes
     * @param firewall what the header and the files held
     * @param inlinePorts whether the header is of format 1, its ports inside
     */
    private record Known(byte[] header, AppliedFirewall firewall, boolean inlinePorts) {}

    private final Path root;

    FirewallRecords(Path root) {
        this.root = root;
    }

    /** What the firewall holds, as last recorded, if anything was. The caller holds the state lock. */
    Optional<AppliedFirewall> read() {
        return known().map(Known::firewall);
    }

    /**
     * Records {@code next}: the header with a new generation first, then the files of the containers whose
     * ports changed, so that a crash in between leaves a header no JVM kept a copy of, and every reader goes to
     * the files. With no header yet, or one of format 1, every container's file is written first (and any
     * other removed), then the header. The caller holds the state lock (so what it wrote is kept).
     */
    void write(AppliedFirewall next) {
        Optional<Known> current = known();
        byte[] header = headerOf(next);
        if (current.isEmpty() || current.get().inlinePorts()) {
            writeAll(byContainer(next.plan().ports()));
            StateStore.writeBytes(root.resolve(HEADER), header);
        } else {
            StateStore.writeBytes(root.resolve(HEADER), header);
            writeChanged(current.get().firewall().plan(), next.plan());
        }
        KNOWN.put(root, new Known(header, next, false));
    }

    private Optional<Known> known() {
        Optional<byte[]> header = headerBytes();
        if (header.isEmpty()) {
            return Optional.empty();
        }
        Known kept = KNOWN.get(root);
        if (kept != null && Arrays.equals(kept.header(), header.get())) {
            return Optional.of(kept);
        }
        Map<String, Object> fields = StateStore.parse(root.resolve(HEADER), header.get());
        boolean inline = fields.containsKey("ports");
        Known read = new Known(header.get(),
                inline ? StateCodec.firewall(fields) : StateCodec.firewall(fields, portFiles()), inline);
        if (StateLock.heldByCurrentThread(root)) {
            KNOWN.put(root, read);
        }
        return Optional.of(read);
    }

    /** The backend that applied the firewall, if any did: the header alone is read. */
    Optional<String> backend() {
        return headerBytes().map(h -> StateCodec.str(StateStore.parse(root.resolve(HEADER), h), "backend"));
    }

    /** The files of the containers that have a port in one plan and not in the other. */
    private void writeChanged(FirewallPlan before, FirewallPlan after) {
        Set<String> changed = new TreeSet<>();
        before.portsMissingFrom(after).forEach(p -> changed.add(p.container()));
        after.portsMissingFrom(before).forEach(p -> changed.add(p.container()));
        for (String container : changed) {
            List<PublishedPort> ports = after.portsOf(container);
            if (ports.isEmpty()) {
                StateStore.delete(file(container));
            } else {
                StateStore.write(file(container), StateCodec.publishedPorts(container, ports));
            }
        }
    }

    /** Every container's file as {@code after} says, and no other file (left by a removed header, or format 1). */
    private void writeAll(Map<String, List<PublishedPort>> after) {
        for (Path stale : listPortFiles()) {
            if (!after.containsKey(containerOf(stale))) {
                StateStore.delete(stale);
            }
        }
        after.forEach((container, ports) -> StateStore.write(file(container), StateCodec.publishedPorts(container, ports)));
    }

    private byte[] headerOf(AppliedFirewall firewall) {
        Map<String, Object> fields = new LinkedHashMap<>(StateCodec.firewallHeader(firewall));
        fields.put("generation", HexFormat.of().toHexDigits(RANDOM.nextLong()));
        return StateStore.encode(fields);
    }

    private List<PublishedPort> portFiles() {
        List<PublishedPort> ports = new ArrayList<>();
        for (Path p : listPortFiles()) {
            ports.addAll(StateCodec.publishedPorts(StateStore.read(p)));
        }
        return ports;
    }

    private List<Path> listPortFiles() {
        Path dir = root.resolve(PORTS);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(JSON)).sorted().toList();
        } catch (IOException e) {
            throw new CtrnetException("cannot read " + dir + ": " + e.getMessage(), e);
        }
    }

    private Optional<byte[]> headerBytes() {
        try {
            return Optional.of(Files.readAllBytes(root.resolve(HEADER)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new CtrnetException("cannot read " + root.resolve(HEADER) + ": " + e.getMessage(), e);
        }
    }

    private Path file(String container) {
        return root.resolve(PORTS).resolve(Names.requireName(container, "container") + JSON);
    }

    private static String containerOf(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - JSON.length());
    }

    /** The ports by container, each container's in the plan's order. */
    private static Map<String, List<PublishedPort>> byContainer(List<PublishedPort> ports) {
        Map<String, List<PublishedPort>> out = new LinkedHashMap<>();
        for (PublishedPort port : ports) {
            out.computeIfAbsent(Objects.requireNonNull(port.container()), c -> new ArrayList<>()).add(port);
        }
        return out;
    }

    /** For tests: forgets what this JVM kept, as a new JVM would start. */
    static void forgetKept() {
        KNOWN.clear();
    }
}
