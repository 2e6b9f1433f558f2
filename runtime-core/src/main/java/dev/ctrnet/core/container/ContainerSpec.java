package dev.ctrnet.core.container;

import dev.ctrnet.api.Names;
import dev.ctrnet.api.UserInput;
import dev.ctrnet.api.net.PortMapping;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What {@code ctrnet run} asks for.
 *
 * @param name the container's name, or a generated one
 * @param network the network to attach it to ({@code bridge}, {@code host}, {@code none} or a user network)
 * @param ports ports to publish
 * @param ip the address to ask IPAM for
 * @param hostname its host name (see {@link Names#requireHostname}), or its short id
 * @param rootfs a directory to confine it to
 * @param env extra environment: keys of {@code [A-Za-z_][A-Za-z0-9_.-]*}, values without NUL
 * @param command what to run
 * @param detached {@code -d}
 * @param autoRemove {@code --rm}
 * @param privileges its capabilities and no_new_privs ({@code --cap-add}, {@code --cap-drop}, {@code --privileged})
 * @param ip6 the IPv6 address to ask IPAM for, on a dual-stack network ({@code --ip6})
 * @param aliases more names for it on its network ({@code --network-alias}), each a host name as
 *     {@link Names#requireHostname} has them
 */
public record ContainerSpec(Optional<String> name, String network, List<PortMapping> ports, Optional<InetAddress> ip,
        Optional<String> hostname, Optional<Path> rootfs, Map<String, String> env, List<String> command,
        boolean detached, boolean autoRemove, Privileges privileges, Optional<InetAddress> ip6, List<String> aliases) {
    private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

    public ContainerSpec {
        name.ifPresent(n -> Names.requireName(n, "container"));
        Names.requireName(network, "network");
        ports = List.copyOf(ports);
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(ip6, "ip6");
        ip.filter(a -> !(a instanceof Inet4Address)).ifPresent(a -> {
            throw new IllegalArgumentException("--ip " + a.getHostAddress() + " is not an IPv4 address: give an IPv6"
                    + " address with --ip6");
        });
        ip6.filter(a -> !(a instanceof Inet6Address)).ifPresent(a -> {
            throw new IllegalArgumentException("--ip6 " + a.getHostAddress() + " is not an IPv6 address");
        });
        hostname.ifPresent(Names::requireHostname);
        rootfs.ifPresent(r -> {
            if (r.toString().isEmpty()) {
                throw new IllegalArgumentException("--rootfs is empty: name the folder to confine the container to");
            }
        });
        env.forEach(ContainerSpec::requireVariable);
        env = Map.copyOf(env);
        command = List.copyOf(command);
        Objects.requireNonNull(privileges, "privileges");
        aliases = NetworkAttachment.requireAliases(aliases);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("no command given: ctrnet run [OPTIONS] -- CMD [ARG...]");
        }
        command.forEach(word -> requireNoNul(word, "the command"));
        for (int i = 0; i < ports.size(); i++) {
            for (int j = i + 1; j < ports.size(); j++) {
                if (ports.get(i).conflictsWith(ports.get(j))) {
                    throw new IllegalArgumentException("published ports " + ports.get(i).describe() + " and "
                            + ports.get(j).describe() + " claim the same host port");
                }
            }
        }
    }


    /**
     * Checks an environment variable. Docker takes any key without '=' and NUL; this one is stricter, as
     * the key is a word of the launch command ({@code env -i KEY=VALUE …}), where one starting with '-'
     * would be read as an option, and as shells can only name the variables of this grammar. The value
     * may hold anything but NUL, which no process argument can carry.
     */
    private static void requireVariable(String key, String value) {
        if (!ENV_KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("-e " + UserInput.quote(key) + " is not a valid variable name: use ASCII"
                    + " letters, digits, '_', '.' and '-', starting with a letter or '_'");
        }
        requireNoNul(value, "the value of -e " + key);
    }

    private static void requireNoNul(String text, String what) {
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " holds a NUL character, which no process argument can carry: "
                    + UserInput.quote(text));
        }
    }

    /** A spec without {@code --ip6} or aliases. */
    public ContainerSpec(Optional<String> name, String network, List<PortMapping> ports, Optional<InetAddress> ip,
            Optional<String> hostname, Optional<Path> rootfs, Map<String, String> env, List<String> command,
            boolean detached, boolean autoRemove, Privileges privileges) {
        this(name, network, ports, ip, hostname, rootfs, env, command, detached, autoRemove, privileges, Optional.empty(),
                List.of());
    }

    /** A plain spec: a command on a network, defaults for the rest. */
    public static ContainerSpec of(String network, List<String> command) {
        return new ContainerSpec(Optional.empty(), network, List.of(), Optional.empty(), Optional.empty(),
                Optional.empty(), Map.of(), command, false, false, Privileges.dockerDefaults());
    }
}
