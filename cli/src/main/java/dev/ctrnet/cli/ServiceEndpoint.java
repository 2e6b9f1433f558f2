package dev.ctrnet.cli;

import dev.ctrnet.core.RuntimeConfig;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the ctrnet service of a state root takes commands, and what a client must share with it to be
 * served. The client reads this on every command, so it loads nothing but JDK classes and
 * {@link RuntimeConfig}'s rule for a root's runtime folder.
 *
 * <p>The service folder ({@code RUN/service}, mode 0700: root only) holds a link, {@code current}, to
 * the folder of the service now serving, named after that process ({@code instance.PID.START}, its pid
 * and its start time in clock ticks, so that a client tells a dead service from a live one even when
 * the pid has been reused). There the service keeps {@link ServiceLine}s ready: pairs of named pipes a
 * client claims one at a time.
 */
final class ServiceEndpoint {
    private static final String CURRENT = "current";
    private static final String INSTANCE = "instance.";

    private ServiceEndpoint() {}

    /**
     * The service's folder for state root {@code root} (absolute and normalized): beside its namespace
     * mounts, root only.
     */
    static Path folder(Path root) {
        return RuntimeConfig.runDirOf(root).resolve("service");
    }

    /** The link to the folder of the service now serving {@code root}. */
    static Path current(Path root) {
        return folder(root).resolve(CURRENT);
    }

    /** The name of the folder of the service that is process {@code pid}, started at {@code startTime}. */
    static String instanceName(long pid, long startTime) {
        return INSTANCE + pid + "." + startTime;
    }

    /** The folder of the service serving {@code root}, if one runs. */
    static Optional<Path> liveInstance(Path root) {
        Path link = current(root);
        String name;
        try {
            name = Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return Optional.empty();
        }
        return isLive(name) ? Optional.of(link.resolveSibling(name)) : Optional.empty();
    }

    /** Whether {@code name}, an instance folder's name, is that of a process that still runs. */
    static boolean isLive(String name) {
        if (!name.startsWith(INSTANCE)) {
            return false;
        }
        String[] parts = name.substring(INSTANCE.length()).split("\\.");
        if (parts.length != 2) {
            return false;
        }
        try {
            Optional<Long> started = startTime(Long.parseLong(parts[0]));
            return started.isPresent() && started.get() == Long.parseLong(parts[1]);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** When process {@code pid} started, in clock ticks after boot (field 22 of its stat), if it runs. */
    static Optional<Long> startTime(long pid) {
        String stat;
        try (FileInputStream in = new FileInputStream("/proc/" + pid + "/stat")) {
            stat = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return Optional.empty();
        }
        // the command's name, in parentheses, may hold spaces and parentheses: count from the last one
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields[0] is field 3 (the state); a zombie has ended
        if (fields.length < 20 || fields[0].equals("Z")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(fields[19]));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Removes {@code dir} and everything in it, if it is there: a dead service's folder, for one. */
    static void removeTree(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> tree = Files.walk(dir)) {
            for (Path p : tree.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // gone already
        }
    }

    /**
     * What a client must share with the service to be served by it: the network and mount namespaces
     * (the service changes the kernel and files it sees) and the build (a rebuilt ctrnet gets a new service).
     */
    static String identity() {
        return namespace("net") + " " + namespace("mnt") + " build:" + build();
    }

    private static String namespace(String kind) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/ns/" + kind)).toString();
        } catch (IOException e) {
            return kind + ":?";
        }
    }

    /** When the jar this runs from was built: a rebuilt ctrnet is served by a new service. */
    private static String build() {
        try {
            Path jar = Path.of(ServiceEndpoint.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Long.toString(Files.getLastModifiedTime(jar).toMillis());
        } catch (Exception e) {
            return "?";
        }
    }
}
