package dev.ctrnet.core.kernel;

import dev.ctrnet.api.kernel.KernelException;
import dev.ctrnet.api.kernel.Namespaces;
import dev.ctrnet.api.kernel.NetworkNamespace;
import dev.ctrnet.api.kernel.Sysctl;
import dev.ctrnet.api.kernel.SysctlKey;
import dev.ctrnet.core.CrashPoint;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@link Sysctl} through the files under {@code /proc/sys}. The {@code net.*} files show the namespace
 * of the thread that opens them, so a namespace other than the host's is read from inside it.
 */
public final class ProcSysctl implements Sysctl {
    private static final Path ROOT = Path.of("/proc/sys");
    /** More than any parameter's value takes. */
    private static final int PAGE = 4096;

    private final Namespaces namespaces;

    /** Sysctls entered through {@code namespaces}. */
    public ProcSysctl(Namespaces namespaces) {
        this.namespaces = namespaces;
    }

    @Override
    public String read(NetworkNamespace namespace, SysctlKey key) {
        Path file = file(key);
        return in(namespace, () -> {
            // the first read asks for a whole page: Files.readString starts with a one-byte read, and some files
            // (nf_conntrack_max in a namespace other than the first) answer the read after it with the end of file
            try (InputStream in = Files.newInputStream(file)) {
                return new String(in.readNBytes(PAGE), StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                throw failure(key, e);
            }
        });
    }

    @Override
    public void write(NetworkNamespace namespace, SysctlKey key, String value) {
        Path file = file(key);
        in(namespace, () -> {
            try {
                Files.writeString(file, value);
                CrashPoint.changed();
                return null;
            } catch (IOException e) {
                throw failure(key, e);
            }
        });
    }

    private <T> T in(NetworkNamespace namespace, Callable<T> work) {
        if (NativeNamespaces.isHost(namespace)) {
            try {
                return work.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return namespaces.runIn(namespace, work);
    }

    /** Segment by segment, so that a dot inside one (an interface's name) stays in its file name. */
    private static Path file(SysctlKey key) {
        Path file = ROOT;
        for (String segment : key.segments()) {
            file = file.resolve(segment);
        }
        return file;
    }

    private static KernelException failure(SysctlKey key, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new KernelException(KernelException.ENOENT, "no sysctl named " + key, e);
        }
        if (e instanceof AccessDeniedException) {
            return new KernelException(KernelException.EPERM, "sysctl " + key + " cannot be changed: "
                    + Syscalls.PERMISSION_DENIED, e);
        }
        return new KernelException(KernelException.EINVAL, "cannot access sysctl " + key + ": " + e.getMessage(), e);
    }
}
