package dev.ctrnet.core.undo;

import dev.ctrnet.api.kernel.Kernel;
import dev.ctrnet.api.kernel.NetworkNamespace;
import dev.ctrnet.api.kernel.SysctlKey;
import dev.ctrnet.api.kernel.Route;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.MacAddress;
import dev.ctrnet.core.names.NameServer;
import dev.ctrnet.core.proxy.LoopbackProxy;

/**
 * One change made to the kernel, or to a process ctrnet runs beside it (a network's name server), as data,
 * with how to walk it back. Kept as plain values (not lambdas) so that a journal can write them down before
 * the change is made.
 */
public sealed interface KernelChange {
    /** Walks the change back; something already gone is not an error. */
    void undo(Kernel kernel);

    /** A sentence for logs and dry runs. */
    String describe();

    /** A link was created; deleting it (a veth: either end) walks it back. */
    record LinkCreated(NetworkNamespace namespace, String name) implements KernelChange {
        @Override
        public void undo(Kernel kernel) {
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
        public void undo(Kernel kernel) {
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
        public void undo(Kernel kernel) {
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
    record RouteReplaced(NetworkNamespace namespace, Route route, java.util.Optional<Route> previous)
            implements KernelChange {
        @Override
        public void undo(Kernel kernel) {
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
    record LinkChanged(NetworkNamespace namespace, String name, boolean up, int mtu, java.util.Optional<MacAddress> mac)
            implements KernelChange {
        @Override
        public void undo(Kernel kernel) {
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
        public void undo(Kernel kernel) {
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
        public void undo(Kernel kernel) {
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
        public void undo(Kernel kernel) {
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
        public void undo(Kernel kernel) {
            AlreadyGone.ignore(() -> kernel.sysctl().write(namespace, key, oldValue));
        }

        @Override
        public String describe() {
            return "set " + key + " in " + namespace.path() + " (was " + oldValue + ")";
        }
    }

    /** A network's name server was started. */
    record NameServerStarted(NameServer server) implements KernelChange {
        @Override
        public void undo(Kernel kernel) {
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
        public void undo(Kernel kernel) {
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
        public void undo(Kernel kernel) {
            proxy.stop();
        }

        @Override
        public String describe() {
            return "started the proxy of " + proxy.describe();
        }
    }
}
