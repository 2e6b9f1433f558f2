package dev.ctrnet.api.kernel;

import dev.ctrnet.api.ProvidedByRuntime;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Network namespaces: made, kept, entered and removed. */
@ProvidedByRuntime
public interface Namespaces {
    /**
     * Creates a network namespace kept alive by a bind mount at {@code path}, as {@code ip netns add}
     * does, so that it outlives every process and tools can enter it by that path.
     *
     * @throws KernelException when the path exists already or the kernel refuses
     */
    NetworkNamespace create(Path path);

    /** The namespace at {@code path}; throws {@link KernelException} (ENOENT) when it is not one. */
    NetworkNamespace open(Path path);

    /** Unmounts and removes a namespace made by {@link #create}; the kernel frees it with its last user. */
    void delete(NetworkNamespace namespace);

    /**
     * Runs {@code work} on a platform thread that has entered {@code namespace}, and returns its result.
     * The thread never returns to the host's namespace with work of anyone else.
     */
    <T> T runIn(NetworkNamespace namespace, Callable<T> work);

    /** The rtnetlink primitives of {@code namespace}. */
    Netlink netlink(NetworkNamespace namespace);
}
