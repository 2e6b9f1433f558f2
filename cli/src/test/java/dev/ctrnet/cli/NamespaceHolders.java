package dev.ctrnet.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What keeps a network namespace alive, as {@code /proc} tells it: a process's descriptor, a thread inside it,
 * or a bind mount. Namespaces are named as {@code /proc} names them, {@code net:[inode]}.
 */
final class NamespaceHolders {
    private NamespaceHolders() {}

    /** The network namespace the bind mount {@code file} keeps. */
    static String keptBy(Path file) {
        try {
            return "net:[" + Files.getAttribute(file, "unix:ino") + "]";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The network namespaces process {@code pid} holds by a descriptor; none when it has ended. */
    static Set<String> descriptorsOf(long pid) {
        return links(Path.of("/proc/" + pid + "/fd")).stream().filter(l -> l.startsWith("net:[")).collect(Collectors.toSet());
    }

    /**
     * {@link #descriptorsOf}, but for the namespace the process is in itself (a thread that enters others keeps it
     * open, to come back).
     */
    static Set<String> othersHeldBy(long pid) {
        Set<String> held = new HashSet<>(descriptorsOf(pid));
        link(Path.of("/proc/" + pid + "/ns/net")).ifPresent(held::remove);
        return held;
    }

    /**
     * Those of {@code namespaces} that something in this test's sandbox still holds, each with what holds it: a
     * descriptor or a thread of a process in its mount namespace (other sandboxes on the machine may reuse the
     * inode numbers), or a mount.
     */
    static Map<String, List<String>> stillHeld(Set<String> namespaces) {
        Optional<Path> ours = mountNamespace(ProcessHandle.current().pid());
        Map<String, List<String>> held = new TreeMap<>();
        ProcessHandle.allProcesses().filter(p -> mountNamespace(p.pid()).equals(ours)).forEach(process -> {
            String who = "process " + process.pid() + " " + process.info().commandLine().orElse("");
            descriptorsOf(process.pid()).forEach(ns -> held.computeIfAbsent(ns, k -> new ArrayList<>()).add(who));
            try (Stream<Path> tasks = Files.list(Path.of("/proc/" + process.pid() + "/task"))) {
                tasks.forEach(task -> link(task.resolve("ns/net")).ifPresent(ns ->
                        held.computeIfAbsent(ns, k -> new ArrayList<>()).add(who + ", thread " + task.getFileName())));
            } catch (IOException e) {
                // the process has ended: it holds nothing
            }
        });
        try {
            // a bind mount of a namespace shows it as its root: "... net:[4026532281] /run/... "
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                Arrays.stream(line.split(" ")).filter(namespaces::contains).forEach(ns ->
                        held.computeIfAbsent(ns, k -> new ArrayList<>()).add("mount " + line));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        held.keySet().retainAll(namespaces);
        return held;
    }

    /** The mount namespace process {@code pid} is in; empty when it has ended. */
    static Optional<Path> mountNamespace(long pid) {
        return link(Path.of("/proc/" + pid + "/ns/mnt")).map(Path::of);
    }

    private static Set<String> links(Path folder) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.map(NamespaceHolders::link).flatMap(Optional::stream).collect(Collectors.toSet());
        } catch (IOException e) {
            return Set.of(); // the process has ended
        }
    }

    private static Optional<String> link(Path path) {
        try {
            return Optional.of(Files.readSymbolicLink(path).toString());
        } catch (IOException e) {
            return Optional.empty(); // closed or ended meanwhile
        }
    }
}
