package dev.ctrnet.core.container;

import dev.ctrnet.api.UserInput;
import dev.ctrnet.core.CtrnetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The checks a {@code --rootfs} folder passes before anything is made for its container: a command that
 * cannot start there would only be found out once the namespaces, address and rules exist.
 */
public final class RootFs {
    private RootFs() {}

    /**
     * Checks that {@code rootfs} is a folder holding {@code command}'s program: at the path it names inside
     * the folder, or in a folder of the container's {@code PATH} (from {@code env}, else the default).
     *
     * @throws CtrnetException saying what is missing
     */
    public static void requireCommand(Path rootfs, List<String> command, Map<String, String> env) {
        Path root = rootfs.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new CtrnetException("--rootfs " + UserInput.quote(rootfs.toString()) + " is not a folder");
        }
        if (isEmpty(root)) {
            throw new CtrnetException("--rootfs " + UserInput.quote(rootfs.toString())
                    + " is empty: it needs at least the program to run");
        }
        String program = command.get(0);
        String path = env.getOrDefault("PATH", ContainerLauncher.PATH);
        List<String> candidates = program.contains("/") ? List.of(program)
                : Stream.of(path.split(":", -1)).map(dir -> dir + "/" + program).toList();
        if (candidates.stream().noneMatch(candidate -> runnable(root, candidate))) {
            throw new CtrnetException("--rootfs " + UserInput.quote(rootfs.toString()) + " has no program "
                    + UserInput.quote(program) + (program.contains("/") ? "" : " in its PATH " + UserInput.quote(path))
                    + ": give a program that is inside it");
        }
    }

    /**
     * The program the container's exec of {@code program} runs, found as {@code execvp} and runc find it:
     * a name with a slash as it is (the exec itself reports what is wrong with it), any other in the
     * first folder of {@code path} (the container's {@code PATH}; an empty entry is the working folder,
     * {@code /}) that holds a regular file which can be executed. Paths resolve inside {@code root} as
     * they will once it is the container's root: symbolic links lead nowhere out of it.
     *
     * @param root the container's root file system as the host sees it, {@code /} without {@code --rootfs}
     * @return the program's path as the container sees it
     */
    public static Optional<String> findProgram(Path root, String program, String path) {
        if (program.contains("/")) {
            return Optional.of(program);
        }
        for (String dir : path.split(":", -1)) {
            String candidate = (dir.isEmpty() || dir.startsWith("/") ? dir : "/" + dir) + "/" + program;
            Optional<Path> file = resolveInside(root, candidate);
            if (file.isPresent() && Files.isRegularFile(file.get()) && Files.isExecutable(file.get())) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * {@code path} (as the container sees it) as the host sees it: every symbolic link on the way followed
     * with {@code root} as the root, {@code ..} stopping there, as {@code openat2}'s {@code RESOLVE_IN_ROOT}
     * does. Empty after 40 links, as the kernel gives up.
     */
    static Optional<Path> resolveInside(Path root, String path) {
        Deque<String> todo = new ArrayDeque<>(List.of(path.split("/")));
        Path current = root;
        int links = 0;
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                current = current.equals(root) ? root : current.getParent();
                continue;
            }
            Path next = current.resolve(name);
            if (!Files.isSymbolicLink(next)) {
                current = next;
                continue;
            }
            if (++links > 40) {
                return Optional.empty();
            }
            String target;
            try {
                target = Files.readSymbolicLink(next).toString();
            } catch (IOException e) {
                return Optional.empty();
            }
            if (target.startsWith("/")) {
                current = root;
            }
            List<String> names = List.of(target.split("/"));
            for (int i = names.size() - 1; i >= 0; i--) {
                todo.push(names.get(i));
            }
        }
        return Optional.of(current);
    }

    /**
     * Whether {@code candidate}, a path as the container sees it, is a program inside {@code root}. A
     * symbolic link counts as one: an absolute target means a path inside the root, where the container
     * will look, not where this process would.
     */
    private static boolean runnable(Path root, String candidate) {
        Path file = root.resolve(candidate.replaceFirst("^/+", "")).normalize();
        if (!file.startsWith(root)) {
            return false;
        }
        return Files.isSymbolicLink(file)
                || Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.isExecutable(file);
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new CtrnetException("cannot read --rootfs " + UserInput.quote(dir.toString()) + ": " + e.getMessage(), e);
        }
    }
}
