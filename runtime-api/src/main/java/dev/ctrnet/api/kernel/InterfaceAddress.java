package dev.ctrnet.api.kernel;

import dev.ctrnet.api.net.Cidr;
import java.util.Objects;

/**
 * An address assigned to a link.
 *
 * @param linkIndex the link's interface index
 * @param address the address and its prefix length, e.g. {@code 10.88.0.1/16}
 */
public record InterfaceAddress(int linkIndex, Cidr address) {
    public InterfaceAddress {
        Objects.requireNonNull(address, "address");
    }
}
