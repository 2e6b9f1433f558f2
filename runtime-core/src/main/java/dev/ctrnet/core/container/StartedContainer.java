package dev.ctrnet.core.container;

import java.util.Objects;

/**
 * A detached container whose first process is a child of the caller, which waits for it and reports
 * its end (see {@code Runtime.startDetachedChild}).
 *
 * @param state the container as it runs
 * @param process its first process, which runs its command
 */
public record StartedContainer(ContainerState state, Process process) {
    public StartedContainer {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(process, "process");
    }
}
