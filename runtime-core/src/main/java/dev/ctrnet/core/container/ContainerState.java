package dev.ctrnet.core.container;

import java.util.Optional;

/**
 * A container and whether its process runs.
 *
 * @param record what is stored
 * @param running whether its first process is alive (the same process: start time checked)
 * @param exitCode its exit status, once it exited and the status is known
 */
public record ContainerState(ContainerRecord record, boolean running, Optional<Integer> exitCode) {
    /** {@code running} or {@code exited}, as {@code ps} and {@code inspect} print it. */
    public String status() {
        return running ? "running" : (record.pid() == 0 && exitCode.isEmpty() ? "created" : "exited");
    }
}
