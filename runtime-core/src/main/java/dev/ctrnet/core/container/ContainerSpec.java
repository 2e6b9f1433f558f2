package dev.ctrnet.core.container;

import dev.ctrnet.api.Names;
import dev.ctrnet.api.net.PortMapping;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code ctrnet run} asks for.
 *
 * @param name the container's name, or a generated one
 * @param network the network to attach it to ({@code bridge}, {@code host}, {@code none} or a user network)
 * @param ports ports to publish
 * @param ip the address to ask IPAM for
 * @param hostname its host name, or its short id
 * @param rootfs a directory to confine it to
 * @param env extra environment
 * @param command what to run
 * @param detached {@code -d}
 * @param autoRemove {@code --rm}
 * @param privileges its capabilities and no_new_privs ({@code --cap-add}, {@code --cap-drop}, {@code --privileged})
 */
public record ContainerSpec(Optional<String> name, String network, List<PortMapping> ports, Optional<InetAddress> ip,
        Optional<String> hostname, Optional<Path> rootfs, Map<String, String> env, List<String> command,
        boolean detached, boolean autoRemove, Privileges privileges) {
    public ContainerSpec {
        name.ifPresent(n -> Names.requireName(n, "container"));
        Objects.requireNonNull(network, "network");
        ports = List.copyOf(ports);
        Objects.requireNonNull(ip, "ip");
        hostname.ifPresent(h -> {
            if (!h.matches("[a-zA-Z0-9]([a-zA-Z0-9.-]{0,62})")) {
                throw new IllegalArgumentException("'" + h + "' is not a valid host name");
            }
        });
        Objects.requireNonNull(rootfs, "rootfs");
        env = Map.copyOf(env);
        command = List.copyOf(command);
        Objects.requireNonNull(privileges, "privileges");
        if (command.isEmpty()) {
            throw new IllegalArgumentException("no command given: ctrnet run [OPTIONS] -- CMD [ARG...]");
        }
        for (int i = 0; i < ports.size(); i++) {
            for (int j = i + 1; j < ports.size(); j++) {
                if (ports.get(i).conflictsWith(ports.get(j))) {
                    throw new IllegalArgumentException("published ports " + ports.get(i).describe() + " and "
                            + ports.get(j).describe() + " claim the same host port");
                }
            }
        }
    }

    /** A plain spec: a command on a network, defaults for the rest. */
    public static ContainerSpec of(String network, List<String> command) {
        return new ContainerSpec(Optional.empty(), network, List.of(), Optional.empty(), Optional.empty(),
                Optional.empty(), Map.of(), command, false, false, Privileges.dockerDefaults());
    }
}
