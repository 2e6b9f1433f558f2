package dev.ctrnet.core.undo;

import dev.ctrnet.api.kernel.Kernel;
import dev.ctrnet.api.kernel.Netlink;
import dev.ctrnet.api.kernel.NetworkNamespace;
import dev.ctrnet.api.kernel.Route;
import dev.ctrnet.api.kernel.SysctlKey;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.MacAddress;
import dev.ctrnet.core.container.Sandboxes;
import dev.ctrnet.core.kernel.BridgePorts;
import dev.ctrnet.core.names.NameServer;
import dev.ctrnet.core.proxy.LoopbackProxy;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One change made to the kernel, or to a process ctrnet runs beside it (a network's name server), as data,
 * with how to walk it back. Kept as plain values (not lambdas) so that a {@link Journal} writes them down
 * before the change is made ({@link JournalCodec}), and a later process walks them back after a crash.
 *
 * <p>Removals have no undo and are not recorded: the operations that remove ({@code rm}, {@code network rm},
 * {@code disconnect}) are finished after a crash rather than walked back (see {@link Journal}).
 */
public sealed interface KernelChange {
    /** Walks the change back; something already gone is not an error. */
    void undo(Kernel kernel, Sandboxes sandboxes);

    /** A sentence for logs and dry runs. */
    String describe();

    /** A link was created; deleting it (a veth: either end) walks it back. */
    record LinkCreated(NetworkNamespace namespace, String name) implements KernelChange {
        @Override
        public void undo(Kernel kernel, Sandboxes sandboxes) {
            AlreadyGone.ignore(() -> kernel.namespaces().netlink(namespace).deleteLink(name));
        }

        @Override
        public String describe() {
            return "created link " + name + " in " + namespace.path();
        }
    }

    /** An address was added to a link. */
    record AddressAdded(NetworkNamespace namespace, String link, Cidr address) implements KernelChange {
        @Override
        public void undo(Kernel kernel, Sandboxes sandboxes) {
            AlreadyGone.ignore(() -> kernel.namespaces().netlink(namespace).deleteAddress(link, address));
        }

        @Override
        public String describe() {
            return "added " + address + " to " + link + " in " + namespace.path();
        }
    }

    /** A route was added. */
    record RouteAdded(NetworkNamespace namespace, Route route) implements KernelChange {
        @Override
        public void undo(Kernel kernel, Sandboxes sandboxes) {
            AlreadyGone.ignore(() -> kernel.namespaces().netlink(namespace).deleteRoute(route));
        }

        @Override
        public String describe() {
            return "added route " + route + " in " + namespace.path();
        }
    }

    /**
     * A route was added or replaced ({@code ip route replace}); {@code previous} is the route of the same key it
     * replaced, which the undo puts back, and when there was none the undo deletes the new one.
     */
    record RouteReplaced(NetworkNamespace namespace, Route route, Optional<Route> previous)
            implements KernelChange {
        @Override
        public void undo(Kernel kernel, Sandboxes sandboxes) {
            var netlink = kernel.namespaces().netlink(namespace);
            AlreadyGone.ignore(() -> previous.ifPresentOrElse(netlink::replaceRoute, () -> netlink.deleteRoute(route)));
        }

        @Override
        public String describe() {
            return (previous.isPresent() ? "replaced route " + previous.get() + " by " : "added route ") + route
                    + " in " + namespace.path();
        }
    }

    /** A pre-existing link's state was changed; {@code up}, {@code mtu}, {@code mac} hold the old values. */
    record LinkChanged(NetworkNamespace namespace, String name, boolean up, int mtu, Optional<MacAddress> mac)
            implements KernelChange {
        @Override
        public void undo(Kernel kernel, Sandboxes sandboxes) {
            AlreadyGone.ignore(() -> {
                var netlink = kernel.namespaces().netlink(namespace);
                netlink.setMtu(name, mtu);
                mac.ifPresent(m -> netlink.setMac(name, m));
                netlink.setUp(name, up);
            });
        }

        @Override
        public String describe() {
            return "changed link " + name + " in " + namespace.path();
        }
    }

    /** A link was renamed. */
    record LinkRenamed(NetworkNamespace namespace, String oldName, String newName) implements KernelChange {
        @Override
        public void undo(Kernel kernel, Sandboxes sandboxes) {
            AlreadyGone.ignore(() -> kernel.namespaces().netlink(namespace).rename(newName, oldName));
        }

        @Override
        public String describe() {
            return "renamed " + oldName + " to " + newName + " in " + namespace.path();
        }
    }

    /** A link was moved to another namespace. */
    record LinkMoved(NetworkNamespace from, NetworkNamespace to, String name) implements KernelChange {
        @Override
        public void undo(Kernel kernel, Sandboxes sandboxes) {
            AlreadyGone.ignore(() -> kernel.namespaces().netlink(to).moveToNamespace(name, from));
        }

        @Override
        public String describe() {
            return "moved " + name + " from " + from.path() + " to " + to.path();
        }
    }

    /** A network namespace was created. */
    record NamespaceCreated(NetworkNamespace namespace) implements KernelChange {
        @Override
        public void undo(Kernel kernel, Sandboxes sandboxes) {
            AlreadyGone.ignore(() -> kernel.namespaces().delete(namespace));
        }

        @Override
        public String describe() {
            return "created network namespace " + namespace.path();
        }
    }

    /** A sysctl was written; {@code oldValue} is what it held. */
    record SysctlWritten(NetworkNamespace namespace, SysctlKey key, String oldValue) implements KernelChange {
        @Override
        public void undo(Kernel kernel, Sandboxes sandboxes) {
            AlreadyGone.ignore(() -> kernel.sysctl().write(namespace, key, oldValue));
        }

        @Override
        public String describe() {
            return "set " + key + " in " + namespace.path() + " (was " + oldValue + ")";
        }
    }

    /** A UTS namespace (a container's host name) was made, kept by a bind mount at {@code path}. */
    record UtsCreated(Path path) implements KernelChange {
        @Override
        public void undo(Kernel kernel, Sandboxes sandboxes) {
            AlreadyGone.ignore(() -> sandboxes.removeNamespaceFile(path));
        }

        @Override
        public String describe() {
            return "created UTS namespace " + path;
        }
    }

    /**
     * A link that the operation did not make was put on bridge {@code master}; {@code oldMaster} is the one it
     * had, if any.
     */
    record MasterSet(NetworkNamespace namespace, String name, Optional<String> oldMaster) implements KernelChange {
        @Override
        public void undo(Kernel kernel, Sandboxes sandboxes) {
            AlreadyGone.ignore(() -> {
                Netlink netlink = kernel.namespaces().netlink(namespace);
                if (oldMaster.isPresent()) {
                    netlink.setMaster(name, oldMaster.get());
                } else if (netlink instanceof BridgePorts ports) {
                    ports.leaveMaster(name);
                }
            });
        }

        @Override
        public String describe() {
            return "set the master of " + name + " in " + namespace.path() + " (was "
                    + oldMaster.orElse("no master") + ")";
        }
    }

    /** A flag of a bridge port that was a port before the operation was set; {@code old} is what it held. */
    record BridgePortFlagSet(NetworkNamespace namespace, String name, BridgePorts.Flag flag, boolean old)
            implements KernelChange {
        @Override
        public void undo(Kernel kernel, Sandboxes sandboxes) {
            AlreadyGone.ignore(() -> {
                Netlink netlink = kernel.namespaces().netlink(namespace);
                if (flag == BridgePorts.Flag.HAIRPIN) {
                    netlink.setBridgePortHairpin(name, old);
                } else {
                    netlink.setBridgePortIsolated(name, old);
                }
            });
        }

        @Override
        public String describe() {
            return "set " + flag.name().toLowerCase(java.util.Locale.ROOT) + " on bridge port " + name + " in "
                    + namespace.path() + " (was " + (old ? "on" : "off") + ")";
        }
    }

    /**
     * Whether a link the operation did not make gets an IPv6 link-local address was set; {@code oldMode} is the
     * link's {@code addr_gen_mode} before, which the undo writes back.
     */
    record Ipv6LinkLocalSet(NetworkNamespace namespace, String name, String oldMode) implements KernelChange {
        @Override
        public void undo(Kernel kernel, Sandboxes sandboxes) {
            AlreadyGone.ignore(() -> kernel.sysctl().write(namespace, addressGenerationMode(name), oldMode));
        }

        @Override
        public String describe() {
            return "set the IPv6 link-local address mode of " + name + " in " + namespace.path() + " (was "
                    + oldMode + ")";
        }

        /** The sysctl that holds a link's {@code addr_gen_mode}. */
        static SysctlKey addressGenerationMode(String link) {
            return SysctlKey.ofInterface("ipv6", link, "addr_gen_mode");
        }
    }

    /**
     * The rules were changed through the NAT backend. The rules are a rendering of the state, so walking this
     * back is not an inverse delta: whoever walks the operation back renders the rules from the state again
     * once the operation's records are put back ({@link Rollback#firewallChanged()}).
     */
    record FirewallUpdated() implements KernelChange {
        @Override
        public void undo(Kernel kernel, Sandboxes sandboxes) {
            // rendered again from the state by whoever walks the operation back
        }

        @Override
        public String describe() {
            return "updated the rules";
        }
    }

    /** A network's name server was started. */
    record NameServerStarted(NameServer server) implements KernelChange {
        @Override
        public void undo(Kernel kernel, Sandboxes sandboxes) {
            server.undoStart();
        }

        @Override
        public String describe() {
            return "started the name server of network " + server.network() + " on " + server.address().getHostAddress();
        }
    }

    /** A container's names were recorded in a network's name server, as the record of {@code owner}. */
    record NameRecorded(NameServer server, String owner) implements KernelChange {
        @Override
        public void undo(Kernel kernel, Sandboxes sandboxes) {
            server.forget(owner);
        }

        @Override
        public String describe() {
            return "recorded the names of " + owner + " in the name server of network " + server.network();
        }
    }

    /** A userland proxy was started for a container's published port on {@code [::1]}. */
    record LoopbackProxyStarted(LoopbackProxy proxy) implements KernelChange {
        @Override
        public void undo(Kernel kernel, Sandboxes sandboxes) {
            proxy.stop();
        }

        @Override
        public String describe() {
            return "started the proxy of " + proxy.describe();
        }
    }
}
