package dev.ctrnet.core.container;

import dev.ctrnet.api.Attachment;
import dev.ctrnet.api.Endpoint;
import dev.ctrnet.api.kernel.NetworkNamespace;
import java.util.Objects;

/**
 * A container's place on one network, as stored.
 *
 * @param network the network's name
 * @param interfaceName the interface name the container was given ({@code eth0}, …)
 * @param attachment what the driver made
 */
public record NetworkAttachment(String network, String interfaceName, Attachment attachment) {
    /** The endpoint this attachment was made for, as a driver's detach wants it handed back. */
    public Endpoint endpoint(String container, String containerId, NetworkNamespace sandbox) {
        return new Endpoint(container, containerId, sandbox, interfaceName, attachment.address(), attachment.gateway(),
                attachment.defaultRoute(), attachment.address6());
    }

    public NetworkAttachment {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(attachment, "attachment");
    }
}
