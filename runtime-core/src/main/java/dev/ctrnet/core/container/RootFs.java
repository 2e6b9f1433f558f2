package dev.ctrnet.core.container;

import dev.ctrnet.api.UserInput;
import dev.ctrnet.core.CtrnetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
