package dev.ctrnet.core.plugin;

import dev.ctrnet.api.kernel.KernelException;
import dev.ctrnet.core.kernel.KernelCalls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * An open file descriptor and the path by which it was reached. The path is for messages only: the
 * file's owner, mode and bytes are read through the descriptor, so they are those of the file that was
 * opened, whatever happens to the path afterwards.
 */
final class OpenFile implements AutoCloseable {
    private static final int TYPE = 0170000;
    private static final int DIRECTORY = 0040000;
    private static final int REGULAR = 0100000;
    private static final int LINK = 0120000;

    private final int fd;
    private final Path path;
    private final int mode;
    private final int owner;

    private OpenFile(int fd, Path path, int mode, int owner) {
        this.fd = fd;
        this.path = path;
        this.mode = mode;
        this.owner = owner;
    }

    /**
     * Opens {@code name} relative to {@code folder} ({@code openat}) and reads its owner and mode.
     *
     * @param shown the path to name it by in messages
     * @throws KernelException when the kernel refuses the open
     * @throws IOException when the owner and mode cannot be read
     */
    static OpenFile at(int folder, String name, Path shown, int flags) throws IOException {
        int fd = KernelCalls.openat(folder, name, flags);
        try {
            // /proc/self/fd/N leads to the open file itself, not to its path: stat of it is fstat, without
            // fstat's struct layout, which differs between architectures
            Map<String, Object> stat = Files.readAttributes(procPath(fd), "unix:mode,uid");
            return new OpenFile(fd, shown, (Integer) stat.get("mode"), (Integer) stat.get("uid"));
        } catch (IOException | RuntimeException e) {
            KernelCalls.close(fd);
            throw e;
        }
    }

    /** The path it was reached by, for messages. */
    Path path() {
        return path;
    }

    int fd() {
        return fd;
    }

    /** The permission bits, with set-id and sticky bits. */
    int permissions() {
        return mode & 07777;
    }

    int owner() {
        return owner;
    }

    boolean isDirectory() {
        return (mode & TYPE) == DIRECTORY;
    }

    boolean isRegularFile() {
        return (mode & TYPE) == REGULAR;
    }

    boolean isLink() {
        return (mode & TYPE) == LINK;
    }

    /**
     * The file's bytes, read through the descriptor.
     *
     * @throws IOException when it cannot be read or holds more than {@code limit} bytes
     */
    byte[] readAll(int limit) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            long n;
            try {
                n = KernelCalls.read(fd, buffer);
            } catch (KernelException e) {
                throw new IOException(KernelCalls.strerror(e.errno()), e);
            }
            if (n == 0) {
                return out.toByteArray();
            }
            if (out.size() + n > limit) {
                throw new IOException("it is larger than " + limit / (1024 * 1024) + " MiB");
            }
            out.write(buffer, 0, (int) n);
        }
    }

    /**
     * The names in this folder, listed through the descriptor: {@code /proc/self/fd/N} leads to the
     * folder that was opened, whatever its path leads to now.
     *
     * @throws IOException when it cannot be listed
     */
    List<Entry> entries() throws IOException {
        try (Stream<Path> files = Files.list(procPath(fd))) {
            return files.map(p -> new Entry(p.getFileName().toString(), Files.isDirectory(p)))
                    .sorted(Comparator.comparing(Entry::name))
                    .toList();
        }
    }

    /**
     * A name in a folder.
     *
     * @param name the name
     * @param folder whether it is a folder, or a link to one
     */
    record Entry(String name, boolean folder) {}

    @Override
    public void close() {
        KernelCalls.close(fd);
    }

    private static Path procPath(int fd) {
        return Path.of("/proc/self/fd/" + fd);
    }
}
