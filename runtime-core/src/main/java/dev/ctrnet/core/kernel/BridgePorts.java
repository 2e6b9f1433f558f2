package dev.ctrnet.core.kernel;

import java.util.Optional;

/**
 * What walking back a bridge port's changes needs beyond the SPI's {@link dev.ctrnet.api.kernel.Netlink}:
 * the port's flags as they are, and taking a link off its bridge. Only a change to a link that the
 * operation neither made nor put on its bridge needs them (the others go with the link, or with the port).
 */
public interface BridgePorts {
    /** A bridge port's flag that ctrnet sets. */
    enum Flag {
        /** {@code ip link set NAME type bridge_slave hairpin on}. */
        HAIRPIN,
        /** {@code ip link set NAME type bridge_slave isolated on}. */
        ISOLATED
    }

    /** Whether the flag is on; empty when {@code name} is no bridge port (or not there). */
    Optional<Boolean> portFlag(String name, Flag flag);

    /** {@code ip link set NAME nomaster}. */
    void leaveMaster(String name);
}
