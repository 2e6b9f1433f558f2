package dev.ctrnet.core.kernel;

import dev.ctrnet.api.UserInput;
import dev.ctrnet.api.kernel.KernelException;
import dev.ctrnet.api.kernel.Namespaces;
import dev.ctrnet.api.kernel.NetworkNamespace;
import dev.ctrnet.api.kernel.Sysctl;
import java.io.IOException;
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

    private final Namespaces namespaces;

    /** Sysctls entered through {@code namespaces}. */
    public ProcSysctl(Namespaces namespaces) {
        this.namespaces = namespaces;
    }

    @Override
    public String read(NetworkNamespace namespace, String key) {
        Path file = file(key);
        return in(namespace, () -> {
            try {
                return Files.readString(file).trim();
            } catch (IOException e) {
                throw failure(key, e);
            }
        });
    }

    @Override
    public void write(NetworkNamespace namespace, String key, String value) {
        Path file = file(key);
        in(namespace, () -> {
            try {
                Files.writeString(file, value);
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

    /**
     * The file of {@code key}: its parts are separated by dots, or by slashes when it has any, as sysctl(8)
     * reads them, so that an interface name with a dot ({@code net/ipv4/conf/eth0.100/forwarding}) stays one
     * part. No part is empty, {@code .} or {@code ..}: a key never names a file outside {@code /proc/sys}.
     */
    private static Path file(String key) {
        String part = "[A-Za-z0-9_-]+";
        boolean valid = key.contains("/")
                ? key.matches("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*") && Stream.of(key.split("/")).noneMatch(p -> p.matches("\\.+"))
                : key.matches(part + "(\\." + part + ")*");
        if (!valid) {
            throw new KernelException(KernelException.ENOENT, "no sysctl named " + UserInput.quote(key));
        }
        return ROOT.resolve(key.contains("/") ? key : key.replace('.', '/'));
    }

    private static KernelException failure(String key, IOException e) {
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
