package dev.ctrnet.core.container;

import dev.ctrnet.api.Attachment;
import java.util.Objects;

/**
 * A container's place on one network, as stored.
 *
 * @param network the network's name
 * @param interfaceName the interface name the container was given ({@code eth0}, …)
 * @param attachment what the driver made
 */
public record NetworkAttachment(String network, String interfaceName, Attachment attachment) {
    public NetworkAttachment {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(attachment, "attachment");
    }
}
