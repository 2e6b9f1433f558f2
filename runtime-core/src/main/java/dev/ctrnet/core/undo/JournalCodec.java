package dev.ctrnet.core.undo;

import dev.ctrnet.api.kernel.NetworkNamespace;
import dev.ctrnet.api.kernel.Route;
import dev.ctrnet.api.kernel.RouteScope;
import dev.ctrnet.api.kernel.SysctlKey;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.api.net.MacAddress;
import dev.ctrnet.api.net.Protocol;
import dev.ctrnet.core.kernel.BridgePorts;
import dev.ctrnet.core.names.NameServer;
import dev.ctrnet.core.proxy.LoopbackProxy;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link KernelChange} as a journal's line holds it: a JSON object whose {@code "change"} names the kind and
 * whose other fields are the record's, as text (paths, addresses, names) or plain JSON values.
 */
final class JournalCodec {
    private JournalCodec() {}

    static Map<String, Object> encode(KernelChange change) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (change instanceof KernelChange.LinkCreated c) {
            kind(m, "link-created").put("namespace", path(c.namespace()));
            m.put("name", c.name());
        } else if (change instanceof KernelChange.AddressAdded c) {
            kind(m, "address-added").put("namespace", path(c.namespace()));
            m.put("link", c.link());
            m.put("address", c.address().toString());
        } else if (change instanceof KernelChange.RouteAdded c) {
            kind(m, "route-added").put("namespace", path(c.namespace()));
            m.put("route", route(c.route()));
        } else if (change instanceof KernelChange.RouteReplaced c) {
            kind(m, "route-replaced").put("namespace", path(c.namespace()));
            m.put("route", route(c.route()));
            c.previous().ifPresent(r -> m.put("previous", route(r)));
        } else if (change instanceof KernelChange.LinkChanged c) {
            kind(m, "link-changed").put("namespace", path(c.namespace()));
            m.put("name", c.name());
            m.put("up", c.up());
            m.put("mtu", c.mtu());
            c.mac().ifPresent(mac -> m.put("mac", mac.toString()));
        } else if (change instanceof KernelChange.LinkRenamed c) {
            kind(m, "link-renamed").put("namespace", path(c.namespace()));
            m.put("oldName", c.oldName());
            m.put("newName", c.newName());
        } else if (change instanceof KernelChange.LinkMoved c) {
            kind(m, "link-moved").put("from", path(c.from()));
            m.put("to", path(c.to()));
            m.put("name", c.name());
        } else if (change instanceof KernelChange.NamespaceCreated c) {
            kind(m, "namespace-created").put("namespace", path(c.namespace()));
        } else if (change instanceof KernelChange.UtsCreated c) {
            kind(m, "uts-created").put("path", c.path().toString());
        } else if (change instanceof KernelChange.SysctlWritten c) {
            kind(m, "sysctl-written").put("namespace", path(c.namespace()));
            m.put("key", c.key().segments());
            m.put("old", c.oldValue());
        } else if (change instanceof KernelChange.MasterSet c) {
            kind(m, "master-set").put("namespace", path(c.namespace()));
            m.put("name", c.name());
            c.oldMaster().ifPresent(old -> m.put("oldMaster", old));
        } else if (change instanceof KernelChange.BridgePortFlagSet c) {
            kind(m, "port-flag-set").put("namespace", path(c.namespace()));
            m.put("name", c.name());
            m.put("flag", c.flag().name());
            m.put("old", c.old());
        } else if (change instanceof KernelChange.Ipv6LinkLocalSet c) {
            kind(m, "link-local-set").put("namespace", path(c.namespace()));
            m.put("name", c.name());
            m.put("oldMode", c.oldMode());
        } else if (change instanceof KernelChange.FirewallUpdated) {
            kind(m, "firewall-updated");
        } else if (change instanceof KernelChange.NameServerStarted c) {
            server(kind(m, "name-server-started"), c.server());
        } else if (change instanceof KernelChange.NameRecorded c) {
            server(kind(m, "name-recorded"), c.server()).put("owner", c.owner());
        } else if (change instanceof KernelChange.LoopbackProxyStarted c) {
            LoopbackProxy p = c.proxy();
            kind(m, "proxy-started").put("folder", p.folder().toString());
            m.put("protocol", p.protocol().id());
            m.put("hostPort", p.hostPort());
            m.put("target", IpAddresses.format(p.target()));
            m.put("targetPort", p.targetPort());
        } else {
            throw new IllegalArgumentException("no journal form for " + change.describe());
        }
        return m;
    }

    static KernelChange decode(Map<String, Object> m) {
        String kind = text(m, "change");
        switch (kind) {
            case "link-created":
                return new KernelChange.LinkCreated(namespace(m, "namespace"), text(m, "name"));
            case "address-added":
                return new KernelChange.AddressAdded(namespace(m, "namespace"), text(m, "link"),
                        Cidr.parse(text(m, "address")));
            case "route-added":
                return new KernelChange.RouteAdded(namespace(m, "namespace"), route(object(m, "route")));
            case "route-replaced":
                return new KernelChange.RouteReplaced(namespace(m, "namespace"), route(object(m, "route")),
                        Optional.ofNullable(m.get("previous")).map(p -> route(object(m, "previous"))));
            case "link-changed":
                return new KernelChange.LinkChanged(namespace(m, "namespace"), text(m, "name"), flag(m, "up"),
                        number(m, "mtu"), optional(m, "mac").map(MacAddress::parse));
            case "link-renamed":
                return new KernelChange.LinkRenamed(namespace(m, "namespace"), text(m, "oldName"), text(m, "newName"));
            case "link-moved":
                return new KernelChange.LinkMoved(namespace(m, "from"), namespace(m, "to"), text(m, "name"));
            case "namespace-created":
                return new KernelChange.NamespaceCreated(namespace(m, "namespace"));
            case "uts-created":
                return new KernelChange.UtsCreated(Path.of(text(m, "path")));
            case "sysctl-written":
                return new KernelChange.SysctlWritten(namespace(m, "namespace"), new SysctlKey(texts(m, "key")),
                        text(m, "old"));
            case "master-set":
                return new KernelChange.MasterSet(namespace(m, "namespace"), text(m, "name"), optional(m, "oldMaster"));
            case "port-flag-set":
                return new KernelChange.BridgePortFlagSet(namespace(m, "namespace"), text(m, "name"),
                        BridgePorts.Flag.valueOf(text(m, "flag")), flag(m, "old"));
            case "link-local-set":
                return new KernelChange.Ipv6LinkLocalSet(namespace(m, "namespace"), text(m, "name"), text(m, "oldMode"));
            case "firewall-updated":
                return new KernelChange.FirewallUpdated();
            case "name-server-started":
                return new KernelChange.NameServerStarted(server(m));
            case "name-recorded":
                return new KernelChange.NameRecorded(server(m), text(m, "owner"));
            case "proxy-started":
                return new KernelChange.LoopbackProxyStarted(new LoopbackProxy(Path.of(text(m, "folder")),
                        Protocol.parse(text(m, "protocol")), number(m, "hostPort"), IpAddresses.parse(text(m, "target")),
                        number(m, "targetPort")));
            default:
                throw new IllegalArgumentException("unknown change " + kind);
        }
    }

    private static Map<String, Object> kind(Map<String, Object> m, String kind) {
        m.put("change", kind);
        return m;
    }

    private static String path(NetworkNamespace namespace) {
        return namespace.path().toString();
    }

    private static Map<String, Object> server(Map<String, Object> m, NameServer server) {
        m.put("network", server.network());
        m.put("address", IpAddresses.format(server.address()));
        m.put("folder", server.folder().toString());
        m.put("hostsDir", server.hostsDir().toString());
        m.put("forwards", server.forwards());
        return m;
    }

    private static NameServer server(Map<String, Object> m) {
        return new NameServer(text(m, "network"), IpAddresses.parse(text(m, "address")), Path.of(text(m, "folder")),
                Path.of(text(m, "hostsDir")), flag(m, "forwards"));
    }

    private static NetworkNamespace namespace(Map<String, Object> m, String key) {
        return new NetworkNamespace(Path.of(text(m, key)));
    }

    private static String text(Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof String s)) {
            throw new IllegalArgumentException("a journal line without " + key + ": " + m);
        }
        return s;
    }

    /** Every component of a route, since its table, metric and scope are part of what the undo must find. */
    private static Map<String, Object> route(Route route) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("destination", route.destination().toString());
        route.gateway().ifPresent(g -> m.put("gateway", IpAddresses.format(g)));
        route.device().ifPresent(d -> m.put("device", d));
        m.put("scope", route.scope().name());
        m.put("onlink", route.onlink());
        m.put("metric", route.metric());
        m.put("table", route.table());
        return m;
    }

    private static Route route(Map<String, Object> m) {
        return new Route(Cidr.parse(text(m, "destination")), optional(m, "gateway").map(IpAddresses::parse),
                optional(m, "device"), RouteScope.valueOf(text(m, "scope")), flag(m, "onlink"), number(m, "metric"),
                number(m, "table"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof Map<?, ?> value)) {
            throw new IllegalArgumentException("journal line without " + key);
        }
        return (Map<String, Object>) value;
    }

    private static Optional<String> optional(Map<String, Object> m, String key) {
        return m.containsKey(key) ? Optional.of(text(m, key)) : Optional.empty();
    }

    private static boolean flag(Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof Boolean b)) {
            throw new IllegalArgumentException("a journal line without " + key + ": " + m);
        }
        return b;
    }

    private static int number(Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof Number n)) {
            throw new IllegalArgumentException("a journal line without " + key + ": " + m);
        }
        return n.intValue();
    }

    private static List<String> texts(Map<String, Object> m, String key) {
        if (!(m.get(key) instanceof List<?> list)) {
            throw new IllegalArgumentException("a journal line without " + key + ": " + m);
        }
        return list.stream().map(String::valueOf).toList();
    }
}
