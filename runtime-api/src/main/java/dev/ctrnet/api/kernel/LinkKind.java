package dev.ctrnet.api.kernel;

import dev.ctrnet.api.net.MacAddress;
import java.util.Objects;
import java.util.Optional;

/** The kind of a link to create, with what only that kind needs. */
public sealed interface LinkKind {
    /** The kernel's name of the kind ({@code IFLA_INFO_KIND}). */
    String kernelName();

    /** A Linux bridge, the containers' switch. */
    record Bridge() implements LinkKind {
        @Override
        public String kernelName() {
            return "bridge";
        }
    }

    /**
     * A veth pair, the cable: the link being created and a peer, which can be born directly inside
     * another namespace.
     *
     * @param peerName the peer's name (in {@code peerNamespace})
     * @param peerNamespace where the peer is born
     * @param peerMac the peer's MAC, or the kernel's random one
     * @param peerMtu the peer's MTU, or the kernel's default
     */
    record Veth(String peerName, NetworkNamespace peerNamespace, Optional<MacAddress> peerMac, Optional<Integer> peerMtu)
            implements LinkKind {
        public Veth {
            LinkRequest.requireName(peerName);
            Objects.requireNonNull(peerNamespace, "peerNamespace");
            Objects.requireNonNull(peerMac, "peerMac");
            Objects.requireNonNull(peerMtu, "peerMtu");
        }

        @Override
        public String kernelName() {
            return "veth";
        }
    }

    /**
     * A macvlan link on a parent interface: its own MAC on the parent's segment.
     *
     * @param parent the parent link's name, in the namespace the request is sent to
     * @param mode the macvlan mode
     */
    record Macvlan(String parent, MacvlanMode mode) implements LinkKind {
        public Macvlan {
            LinkRequest.requireName(parent);
            Objects.requireNonNull(mode, "mode");
        }

        @Override
        public String kernelName() {
            return "macvlan";
        }
    }

    /** A dummy link: an interface with no wire, useful as a parent or for tests. */
    record Dummy() implements LinkKind {
        @Override
        public String kernelName() {
            return "dummy";
        }
    }

    /** The macvlan modes ({@code IFLA_MACVLAN_MODE}). */
    enum MacvlanMode {
        PRIVATE(1),
        VEPA(2),
        BRIDGE(4),
        PASSTHRU(8),
        SOURCE(16);

        private final int value;

        MacvlanMode(int value) {
            this.value = value;
        }

        /** The kernel's value. */
        public int value() {
            return value;
        }
    }
}
