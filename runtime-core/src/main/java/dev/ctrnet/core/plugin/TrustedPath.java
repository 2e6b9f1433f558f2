package dev.ctrnet.core.plugin;

import dev.ctrnet.api.kernel.KernelException;
import dev.ctrnet.core.kernel.KernelCalls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;

/**
 * Opens plugin folders and jars so that no one but root can change what gets loaded, whatever the
 * timing. A path is walked one component at a time from {@code /}: each component is opened relative to
 * the folder before it ({@code openat} with {@code O_NOFOLLOW}), and every folder passed through is
 * checked, as opened, to be writable by root alone ({@link RootOnlyWritable}). A symbolic link is
 * never followed by the kernel: it is read, and its target walked the same way, so the folders a link
 * leads through are checked too. Once a folder has passed, no one else can rename, replace or add
 * anything in it; so the file finally opened is the one the path named when it was checked, and it is
 * then read through its descriptor, never opened again.
 */
final class TrustedPath {
    /** The kernel's own limit of links followed in one lookup. */
    private static final int MAX_LINKS = 40;

    private TrustedPath() {}

    /**
     * Opens the plugin folder at {@code path} (absolute), checking every folder from {@code /} down to it.
     *
     * @throws PluginRejected when one of them can be written by someone else, or cannot be opened
     */
    static OpenFile folder(Path path) throws PluginRejected {
        Walked folder = walk(root(List.of()), new ArrayDeque<>(components(path)), false);
        return folder.checked(OpenFile::isDirectory, "it is not a folder", "folder");
    }

    /**
     * Opens the jar {@code name} in {@code folder} (opened by {@link #folder}) for reading, and checks it.
     *
     * @throws PluginRejected when it is not a regular file, can be written by someone else, or is a link
     *     that leads through a folder someone else can write
     */
    static OpenFile jar(OpenFile folder, String name) throws PluginRejected {
        Walked jar = walk(reopen(folder), new ArrayDeque<>(List.of(name)), true);
        return jar.checked(OpenFile::isRegularFile, "it is not a regular file", "jar");
    }

    /**
     * What a walk opened, and the links it followed on the way.
     *
     * @param file the last component, opened but not yet checked
     * @param followed each link followed, as {@code LINK -> TARGET}
     */
    private record Walked(OpenFile file, List<String> followed) {
        /** The file, once it is of the expected kind and only root can write it; closed otherwise. */
        OpenFile checked(Predicate<OpenFile> kind, String otherKind, String what) throws PluginRejected {
            try {
                if (!kind.test(file)) {
                    throw new PluginRejected(otherKind + via(followed));
                }
                RootOnlyWritable.check(file, what + via(followed));
                return file;
            } catch (PluginRejected e) {
                file.close();
                throw e;
            }
        }
    }

    /** For messages: nothing, or the links followed to get there. */
    private static String via(List<String> followed) {
        return followed.isEmpty() ? "" : " (through the link " + String.join(", then ", followed) + ")";
    }

    /**
     * Walks {@code todo} from {@code start} (owned by the walk), checking every folder passed through.
     *
     * @param readable whether the last component is opened for reading, rather than only as a place
     */
    private static Walked walk(OpenFile start, Deque<String> todo, boolean readable) throws PluginRejected {
        OpenFile current = start;
        List<String> followed = new ArrayList<>();
        try {
            while (!todo.isEmpty()) {
                String name = todo.pop();
                if (name.isEmpty() || name.equals(".")) {
                    continue;
                }
                boolean last = todo.isEmpty();
                Path shown = name.equals("..") ? parent(current.path()) : current.path().resolve(name);
                OpenFile next = open(current, name, shown, last && readable);
                if (next == null) {
                    String target = readLink(current, name, shown);
                    followed.add(shown + " -> " + target);
                    if (followed.size() > MAX_LINKS) {
                        throw new PluginRejected("its links lead round in circles" + via(followed));
                    }
                    List<String> parts = components(Path.of(target));
                    for (int i = parts.size() - 1; i >= 0; i--) {
                        todo.push(parts.get(i));
                    }
                    if (target.startsWith("/")) {
                        current.close();
                        current = root(followed);
                    }
                    continue;
                }
                current.close();
                current = next;
                if (!todo.isEmpty()) {
                    passThrough(current, followed);
                }
            }
            return new Walked(current, followed);
        } catch (PluginRejected | RuntimeException e) {
            current.close();
            throw e;
        }
    }

    /** Checks a folder the walk goes on from. */
    private static void passThrough(OpenFile folder, List<String> followed) throws PluginRejected {
        if (!folder.isDirectory()) {
            throw new PluginRejected("its path goes through " + folder.path() + ", which is not a folder" + via(followed));
        }
        RootOnlyWritable.check(folder, "folder " + folder.path() + " on its path" + via(followed));
    }

    /** {@code /}, opened and checked. */
    private static OpenFile root(List<String> followed) throws PluginRejected {
        OpenFile root = open(KernelCalls.AT_FDCWD, "/", Path.of("/"), false);
        try {
            passThrough(root, followed);
            return root;
        } catch (PluginRejected e) {
            root.close();
            throw e;
        }
    }

    /** A second descriptor of {@code folder}, for a walk to own. */
    private static OpenFile reopen(OpenFile folder) throws PluginRejected {
        return open(folder.fd(), ".", folder.path(), false);
    }

    /**
     * Opens one component without following it if it is a link.
     *
     * @return the open file, or null when it is a link
     */
    private static OpenFile open(OpenFile folder, String name, Path shown, boolean readable) throws PluginRejected {
        OpenFile file = open(folder.fd(), name, shown, readable);
        if (file != null && file.isLink()) {
            file.close();
            return null;
        }
        return file;
    }

    private static OpenFile open(int folder, String name, Path shown, boolean readable) throws PluginRejected {
        // O_PATH opens a folder to walk on without reading it; the last component, when read, is opened
        // with O_NONBLOCK and O_NOCTTY so that a FIFO or a terminal cannot hang or adopt the process
        int flags;
        try {
            flags = (readable ? KernelCalls.O_RDONLY | KernelCalls.O_NONBLOCK | KernelCalls.O_NOCTTY : KernelCalls.O_PATH)
                    | KernelCalls.O_CLOEXEC | KernelCalls.noFollow();
        } catch (UnsupportedOperationException e) {
            throw new PluginRejected("plugins cannot be opened safely on this machine (" + e.getMessage() + ")", e);
        }
        try {
            return OpenFile.at(folder, name, shown, flags);
        } catch (KernelException e) {
            if (e.errno() == KernelCalls.ELOOP) {
                return null;
            }
            throw new PluginRejected("cannot open " + shown + " (" + KernelCalls.strerror(e.errno()) + ")", e);
        } catch (IOException e) {
            throw new PluginRejected("cannot read the owner and mode of " + shown + " (" + e.getMessage() + ")", e);
        }
    }

    private static String readLink(OpenFile folder, String name, Path shown) throws PluginRejected {
        byte[] buffer = new byte[4096];
        long n;
        try {
            n = KernelCalls.readlinkat(folder.fd(), name, buffer);
        } catch (KernelException e) {
            throw new PluginRejected("cannot read the link " + shown + " (" + KernelCalls.strerror(e.errno()) + ")", e);
        }
        if (n <= 0 || n >= buffer.length) {
            throw new PluginRejected("the link " + shown + " has " + (n <= 0 ? "an empty" : "too long a") + " target");
        }
        return new String(buffer, 0, (int) n, StandardCharsets.UTF_8);
    }

    private static List<String> components(Path path) {
        List<String> names = new ArrayList<>();
        path.forEach(p -> names.add(p.toString()));
        return names;
    }

    private static Path parent(Path path) {
        Path parent = path.getParent();
        return parent == null ? path : parent;
    }
}
