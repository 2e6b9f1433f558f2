package dev.ctrnet.core.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The modes of what ctrnet makes under the state root and its runtime folder, whatever the umask of
 * the shell that started it: nothing is writable by anyone but root, and what only root needs is
 * readable by root alone. Every ctrnet command runs as root, so nobody else ever needs to look inside.
 *
 * <ul>
 *   <li>folders: 0700;
 *   <li>records (networks, containers' config.json, endpoints, firewall.json and firewall/), leases, the lock, a
 *       container's log and exit status: 0600. A container's environment can hold secrets, so can what it
 *       prints; the others list names, addresses and ports, which are root's business;
 *   <li>a container's hosts, hostname and resolv.conf: 0644, since they are bind-mounted into the
 *       container, whose users need not be root and must be able to read them.
 * </ul>
 */
public final class FileModes {
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_FOLDER =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final Set<PosixFilePermission> READABLE_FILE = PosixFilePermissions.fromString("rw-r--r--");

    private FileModes() {}

    /** Creates {@code dir} and the folders above it that are missing, each 0700. */
    public static Path createFolders(Path dir) throws IOException {
        // looked at first: the JDK finds an existing folder by failing to make it, at the cost of an exception
        if (Files.isDirectory(dir)) {
            return dir;
        }
        return Files.createDirectories(dir, PRIVATE_FOLDER);
    }

    /** Creates {@code file}, 0600; one that exists already is an error ({@code FileAlreadyExistsException}). */
    public static Path createPrivateFile(Path file) throws IOException {
        return Files.createFile(file, PRIVATE_FILE);
    }

    /**
     * Creates {@code file}, 0600, holding {@code content}, with one open; one that exists already is an error
     * ({@code FileAlreadyExistsException}) and is left as it was.
     */
    public static void writeNewPrivate(Path file, byte[] content) throws IOException {
        try (SeekableByteChannel out = Files.newByteChannel(file, Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), PRIVATE_FILE)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
        }
    }

    /** The attribute that makes a new file 0600, for callers that open it themselves. */
    public static FileAttribute<Set<PosixFilePermission>> privateFile() {
        return PRIVATE_FILE;
    }

    /** Writes {@code text} to {@code file}, replacing what it held, and makes it 0600. */
    public static void writePrivate(Path file, String text) throws IOException {
        try {
            createPrivateFile(file);
        } catch (FileAlreadyExistsException e) {
            // rewritten below, and its mode made right
        }
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    /** Writes {@code text} to {@code file}, replacing what it held, and makes it 0644 (readable by all). */
    public static void writeReadable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, READABLE_FILE);
    }
}
