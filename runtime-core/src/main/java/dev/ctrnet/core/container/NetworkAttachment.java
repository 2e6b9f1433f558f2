package dev.ctrnet.core.container;

import dev.ctrnet.api.Attachment;
import dev.ctrnet.api.Endpoint;
import dev.ctrnet.api.Names;
import dev.ctrnet.api.kernel.NetworkNamespace;
import java.util.List;
import java.util.Objects;

/**
 * A container's place on one network, as stored.
 *
 * @param network the network's name
 * @param interfaceName the interface name the container was given ({@code eth0}, …)
 * @param attachment what the driver made
 * @param aliases more names the container answers to on this network ({@code --network-alias}), besides its
 *     own; each a host name as {@link Names#requireHostname} has them, so it can stand in a hosts file
 */
public record NetworkAttachment(String network, String interfaceName, Attachment attachment, List<String> aliases) {
    /** The endpoint this attachment was made for, as a driver's detach wants it handed back. */
    public Endpoint endpoint(String container, String containerId, NetworkNamespace sandbox) {
        return new Endpoint(container, containerId, sandbox, interfaceName, attachment.address(), attachment.gateway(),
                attachment.defaultRoute(), attachment.address6());
    }

    public NetworkAttachment {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(attachment, "attachment");
        aliases = requireAliases(aliases);
    }

    /** An attachment without aliases. */
    public NetworkAttachment(String network, String interfaceName, Attachment attachment) {
        this(network, interfaceName, attachment, List.of());
    }

    /** Checks aliases against the host-name grammar and copies them; a repeated one is kept once. */
    public static List<String> requireAliases(List<String> aliases) {
        aliases.forEach(Names::requireHostname);
        return aliases.stream().distinct().toList();
    }
}
