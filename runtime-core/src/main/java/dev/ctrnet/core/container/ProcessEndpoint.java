package dev.ctrnet.core.container;

import java.util.List;
import java.util.Objects;

/**
 * A process that is not a ctrnet container but was connected to networks ({@code network connect
 * --pid}): its network namespace is the process's own, so it lives and dies with the process.
 *
 * @param id a random id (hex), owner of its leases and base of its host-side link names
 * @param pid the process
 * @param pidStartTime its start time, to tell a reused PID
 * @param networks its attachments
 */
public record ProcessEndpoint(String id, long pid, long pidStartTime, List<NetworkAttachment> networks) {
    public ProcessEndpoint {
        Objects.requireNonNull(id, "id");
        networks = List.copyOf(networks);
    }

    /** The name it is known by in messages and listings: {@code pid:1234}. */
    public String label() {
        return "pid:" + pid;
    }
}
