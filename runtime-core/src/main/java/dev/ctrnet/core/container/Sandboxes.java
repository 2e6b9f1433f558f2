package dev.ctrnet.core.container;

import dev.ctrnet.core.kernel.KernelThread;
import java.nio.file.Path;

/**
 * What a container has besides its network interfaces: a UTS namespace kept by a bind mount, and a process
 * that {@code stop} and {@code rm -f} end. Made and ended natively ({@link NativeSandboxes}), or written
 * down as shell commands by a dry run.
 */
public interface Sandboxes {
    /**
     * Starts creating a UTS namespace with host name {@code hostname}, kept alive by a bind mount at {@code path},
     * for the container's process to join later: the caller may set up the rest of the container meanwhile, and
     * {@link KernelThread#join joins} it before it relies on the namespace (or undoes it); a failure comes out of
     * the join, with nothing left at {@code path}.
     *
     * @throws IllegalArgumentException at once, when {@code hostname} is not one
     */
    KernelThread<Path> startUts(Path path, String hostname);

    /**
     * Says that the container's links are made: work ahead of the next container's, which would delay a driver's
     * links, may run now. Nothing by default.
     */
    default void linksMade() {
    }

    /**
     * Detaches the bind mount at {@code path} and removes the file: the namespace it kept goes away with
     * its last user. A path already gone is not an error.
     */
    void removeNamespaceFile(Path path);

    /**
     * Ends the container's process: SIGTERM, then SIGKILL after {@code timeoutSeconds} (at once when 0).
     * A process already gone is not an error.
     */
    void terminate(ContainerRecord record, int timeoutSeconds);
}
