package dev.ctrnet.api.kernel;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A network namespace, named by a file that refers to it: a bind mount kept by the runtime (as
 * {@code ip netns add} does) or {@code /proc/PID/ns/net}.
 *
 * @param path the file that refers to the namespace
 */
public record NetworkNamespace(Path path) {
    private static final NetworkNamespace HOST = new NetworkNamespace(Path.of("/proc/self/ns/net"));

    public NetworkNamespace {
        Objects.requireNonNull(path, "path");
    }

    /** The namespace the runtime itself runs in ("the host"). */
    public static NetworkNamespace host() {
        return HOST;
    }

    /** Whether this is {@link #host()}. */
    public boolean isHost() {
        return equals(HOST);
    }

    /** The namespace of a process. */
    public static NetworkNamespace ofProcess(long pid) {
        return new NetworkNamespace(Path.of("/proc/" + pid + "/ns/net"));
    }
}
