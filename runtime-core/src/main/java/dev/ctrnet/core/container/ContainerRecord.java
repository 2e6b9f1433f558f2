package dev.ctrnet.core.container;

import dev.ctrnet.api.Names;
import dev.ctrnet.api.net.PortMapping;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A container as the runtime keeps it on disk.
 *
 * @param name the container's name
 * @param id its id, 64 hex digits
 * @param created when it was created, ISO-8601
 * @param command what it runs
 * @param hostname its host name
 * @param rootfs the directory it is confined to, if any
 * @param env the environment given with {@code -e}
 * @param ports its published ports (on its first network)
 * @param netns the file keeping its network namespace; empty when it shares the host's
 * @param uts the file keeping its UTS namespace
 * @param networks its attachments, first one first
 * @param pid the host PID of its first process, 0 before it starts
 * @param pidStartTime that process's start time (clock ticks since boot), to tell a reused PID
 * @param detached whether it was started with {@code -d}
 * @param autoRemove whether it is removed when it exits ({@code --rm})
 * @param creator the ctrnet process that created it: a record that never got its process and whose
 *     creator is gone was left by an interrupted {@code run}, and {@code system prune} removes it
 * @param privileges its capabilities and no_new_privs, which {@code exec} gives too
 */
public record ContainerRecord(String name, String id, String created, List<String> command, String hostname,
        Optional<Path> rootfs, Map<String, String> env, List<PortMapping> ports, Optional<Path> netns, Path uts,
        List<NetworkAttachment> networks, long pid, long pidStartTime, boolean detached, boolean autoRemove,
        ProcessId creator, Privileges privileges) {
    public ContainerRecord {
        Names.requireName(name, "container");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(created, "created");
        command = List.copyOf(command);
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(rootfs, "rootfs");
        env = Map.copyOf(env);
        ports = List.copyOf(ports);
        Objects.requireNonNull(netns, "netns");
        Objects.requireNonNull(uts, "uts");
        networks = List.copyOf(networks);
        Objects.requireNonNull(creator, "creator");
        Objects.requireNonNull(privileges, "privileges");
    }

    /**
     * A process, told apart from a later one that reuses its PID by its start time.
     *
     * @param pid the PID
     * @param startTime its start time in clock ticks since boot
     */
    public record ProcessId(long pid, long startTime) {
        /** Whether it still runs. */
        public boolean isAlive() {
            return ProcessTable.isAlive(pid, startTime);
        }
    }

    /** The record with its process. */
    public ContainerRecord withProcess(long newPid, long newStartTime) {
        return new ContainerRecord(name, id, created, command, hostname, rootfs, env, ports, netns, uts, networks,
                newPid, newStartTime, detached, autoRemove, creator, privileges);
    }

    /** The record with its attachments changed. */
    public ContainerRecord withNetworks(UnaryOperator<List<NetworkAttachment>> change) {
        return new ContainerRecord(name, id, created, command, hostname, rootfs, env, ports, netns, uts,
                change.apply(networks), pid, pidStartTime, detached, autoRemove, creator, privileges);
    }

    /** The attachment to {@code network}, if any. */
    public Optional<NetworkAttachment> attachment(String network) {
        return networks.stream().filter(a -> a.network().equals(network)).findFirst();
    }

    /** The first 12 hex digits of the id, as Docker shows it. */
    public String shortId() {
        return id.substring(0, 12);
    }
}
