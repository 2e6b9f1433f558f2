package dev.ctrnet.core.state;

import dev.ctrnet.api.Attachment;
import dev.ctrnet.api.Network;
import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.firewall.FirewallZone;
import dev.ctrnet.api.firewall.HostInterfaces;
import dev.ctrnet.api.firewall.PublishedPort;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.api.net.MacAddress;
import dev.ctrnet.api.net.PortMapping;
import dev.ctrnet.api.net.PortRange;
import dev.ctrnet.api.net.Protocol;
import dev.ctrnet.core.container.Capability;
import dev.ctrnet.core.container.ContainerRecord;
import dev.ctrnet.core.container.NetworkAttachment;
import dev.ctrnet.core.container.Privileges;
import dev.ctrnet.core.container.ProcessEndpoint;
import dev.ctrnet.core.firewall.AppliedFirewall;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The on-disk form of the records: plain JSON objects, written field by field so the format is
 * explicit and stays readable by later versions. Only what names a record (its name, id, addresses)
 * is required; every other field is read with a default when missing (false, 0, empty), and a field
 * added to a later state format must be too, so that a record written before it stays readable. The
 * format's version is written and checked by {@link StateStore}.
 */
final class StateCodec {
    private StateCodec() {}

    static Map<String, Object> network(Network n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", n.name());
        m.put("id", n.id());
        m.put("driver", n.driver());
        n.subnet().ifPresent(s -> m.put("subnet", s.toString()));
        n.gateway().ifPresent(g -> m.put("gateway", IpAddresses.format(g)));
        m.put("internal", n.internal());
        m.put("options", n.options());
        n.subnet6().ifPresent(s -> m.put("subnet6", s.toString()));
        n.gateway6().ifPresent(g -> m.put("gateway6", IpAddresses.format(g)));
        return m;
    }

    static Network network(Map<String, Object> m) {
        return new Network(str(m, "name"), str(m, "id"), str(m, "driver"), opt(m, "subnet").map(Cidr::parse),
                opt(m, "gateway").map(IpAddresses::parse), bool(m, "internal"), strings(m.get("options")),
                opt(m, "subnet6").map(Cidr::parse), opt(m, "gateway6").map(IpAddresses::parse));
    }

    static Map<String, Object> container(ContainerRecord c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("id", c.id());
        m.put("created", c.created());
        m.put("command", c.command());
        m.put("hostname", c.hostname());
        c.rootfs().ifPresent(r -> m.put("rootfs", r.toString()));
        m.put("env", c.env());
        m.put("ports", c.ports().stream().map(StateCodec::port).toList());
        c.netns().ifPresent(p -> m.put("netns", p.toString()));
        m.put("uts", c.uts().toString());
        m.put("networks", c.networks().stream().map(StateCodec::attachment).toList());
        m.put("pid", c.pid());
        m.put("pidStartTime", c.pidStartTime());
        m.put("detached", c.detached());
        m.put("autoRemove", c.autoRemove());
        m.put("creatorPid", c.creator().pid());
        m.put("creatorStartTime", c.creator().startTime());
        m.put("privileged", c.privileges().privileged());
        m.put("capabilities", c.privileges().capabilities().stream().map(Capability::dockerName).toList());
        return m;
    }

    static ContainerRecord container(Map<String, Object> m) {
        return new ContainerRecord(str(m, "name"), str(m, "id"), str(m, "created"),
                list(m, "command").stream().map(String::valueOf).toList(), str(m, "hostname"),
                opt(m, "rootfs").map(Path::of), strings(m.get("env")),
                objects(m, "ports").stream().map(StateCodec::port).toList(),
                opt(m, "netns").map(Path::of), Path.of(str(m, "uts")),
                objects(m, "networks").stream().map(StateCodec::attachment).toList(),
                number(m, "pid"), number(m, "pidStartTime"), bool(m, "detached"), bool(m, "autoRemove"),
                new ContainerRecord.ProcessId(number(m, "creatorPid"), number(m, "creatorStartTime")),
                privileges(m));
    }

    /** A record written before containers were confined has no privileges: it gets Docker's defaults. */
    @SuppressWarnings("unchecked")
    private static Privileges privileges(Map<String, Object> m) {
        if (!m.containsKey("capabilities")) {
            return Privileges.dockerDefaults();
        }
        Set<Capability> caps = ((List<Object>) m.get("capabilities")).stream().map(c -> Capability.parse(c.toString()))
                .collect(Collectors.toSet());
        return new Privileges(bool(m, "privileged"), caps);
    }

    /** The header of what the firewall holds: all but the ports, which are kept per container. */
    static Map<String, Object> firewallHeader(AppliedFirewall f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backend", f.backend());
        m.put("ruleSet", f.plan().name());
        m.put("zones", f.plan().zones().stream().map(z -> {
            Map<String, Object> zm = new LinkedHashMap<>();
            zm.put("network", z.network());
            // a bridge as before 2.6, so that an older ctrnet still reads the file of a root without routed networks
            z.interfaces().single().ifPresentOrElse(bridge -> zm.put("bridge", bridge), () -> {
                zm.put("interfaces", List.copyOf(z.interfaces().names()));
                z.interfaces().prefix().ifPresent(p -> zm.put("interfacePrefix", p));
            });
            zm.put("subnet", z.subnet().toString());
            zm.put("gateway", IpAddresses.format(z.gateway()));
            zm.put("masquerade", z.masquerade());
            zm.put("internal", z.internal());
            z.subnet6().ifPresent(s -> zm.put("subnet6", s.toString()));
            z.gateway6().ifPresent(g -> zm.put("gateway6", IpAddresses.format(g)));
            return zm;
        }).toList());
        m.put("forwardingGuard", f.plan().forwardingGuard());
        m.put("forwardingGuard6", f.plan().forwardingGuard6());
        return m;
    }

    /** A header of format 1, its ports inside it. */
    static AppliedFirewall firewall(Map<String, Object> m) {
        return firewall(m, objects(m, "ports").stream().map(p -> publishedPort(str(p, "container"), p)).toList());
    }

    /** A header, and the ports of every container's file. */
    static AppliedFirewall firewall(Map<String, Object> m, List<PublishedPort> ports) {
        List<FirewallZone> zones = objects(m, "zones").stream()
                .map(z -> new FirewallZone(str(z, "network"), zoneInterfaces(z), Cidr.parse(str(z, "subnet")),
                        IpAddresses.parse(str(z, "gateway")), bool(z, "masquerade"), bool(z, "internal"),
                        opt(z, "subnet6").map(Cidr::parse), opt(z, "gateway6").map(IpAddresses::parse)))
                .toList();
        // absent in records written before the guard existed, which were applied without it
        boolean guard = Boolean.TRUE.equals(m.get("forwardingGuard"));
        boolean guard6 = Boolean.TRUE.equals(m.get("forwardingGuard6"));
        return new AppliedFirewall(str(m, "backend"), new FirewallPlan(str(m, "ruleSet"), zones, ports, guard, guard6));
    }

    /** A zone's interfaces: one bridge, or names and a prefix. */
    private static HostInterfaces zoneInterfaces(Map<String, Object> zone) {
        if (zone.containsKey("bridge")) {
            return HostInterfaces.of(str(zone, "bridge"));
        }
        return new HostInterfaces(list(zone, "interfaces").stream().map(Object::toString).collect(Collectors.toSet()),
                opt(zone, "interfacePrefix"));
    }

    /** The file of one container's published ports. */
    static Map<String, Object> publishedPorts(String container, List<PublishedPort> ports) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("container", container);
        m.put("ports", ports.stream().map(p -> {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("network", p.network());
            pm.put("containerIp", IpAddresses.format(p.containerIp()));
            pm.put("mapping", port(p.mapping()));
            return pm;
        }).toList());
        return m;
    }

    static List<PublishedPort> publishedPorts(Map<String, Object> m) {
        String container = str(m, "container");
        return objects(m, "ports").stream().map(p -> publishedPort(container, p)).toList();
    }

    @SuppressWarnings("unchecked")
    private static PublishedPort publishedPort(String container, Map<String, Object> p) {
        return new PublishedPort(str(p, "network"), container, IpAddresses.parse(str(p, "containerIp")),
                port((Map<String, Object>) p.get("mapping")));
    }

    static Map<String, Object> endpoint(ProcessEndpoint e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("pid", e.pid());
        m.put("pidStartTime", e.pidStartTime());
        m.put("networks", e.networks().stream().map(StateCodec::attachment).toList());
        return m;
    }

    static ProcessEndpoint endpoint(Map<String, Object> m) {
        return new ProcessEndpoint(str(m, "id"), number(m, "pid"), number(m, "pidStartTime"),
                objects(m, "networks").stream().map(StateCodec::attachment).toList());
    }

    static Map<String, Object> port(PortMapping p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hostIp", IpAddresses.format(p.hostIp()));
        m.put("hostPorts", p.hostPorts().toString());
        m.put("containerPorts", p.containerPorts().toString());
        m.put("protocol", p.protocol().id());
        return m;
    }

    static PortMapping port(Map<String, Object> m) {
        return new PortMapping(IpAddresses.parse(str(m, "hostIp")), PortRange.parse(str(m, "hostPorts")),
                PortRange.parse(str(m, "containerPorts")), Protocol.parse(str(m, "protocol")));
    }

    private static Map<String, Object> attachment(NetworkAttachment a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("network", a.network());
        m.put("interfaceName", a.interfaceName());
        Attachment at = a.attachment();
        at.interfaceName().ifPresent(v -> m.put("interface", v));
        at.address().ifPresent(v -> m.put("address", v.toString()));
        at.gateway().ifPresent(v -> m.put("gateway", IpAddresses.format(v)));
        at.mac().ifPresent(v -> m.put("mac", v.toString()));
        m.put("defaultRoute", at.defaultRoute());
        m.put("driverData", at.driverData());
        at.address6().ifPresent(v -> m.put("address6", v.toString()));
        at.gateway6().ifPresent(v -> m.put("gateway6", IpAddresses.format(v)));
        at.hostInterface().ifPresent(v -> m.put("hostInterface", v));
        m.put("aliases", a.aliases());
        return m;
    }

    private static NetworkAttachment attachment(Map<String, Object> m) {
        Attachment at = new Attachment(opt(m, "interface"), opt(m, "address").map(Cidr::parse),
                opt(m, "gateway").map(IpAddresses::parse), opt(m, "mac").map(MacAddress::parse),
                bool(m, "defaultRoute"), strings(m.get("driverData")), opt(m, "address6").map(Cidr::parse),
                opt(m, "gateway6").map(IpAddresses::parse), opt(m, "hostInterface"));
        return new NetworkAttachment(str(m, "network"), str(m, "interfaceName"), at,
                list(m, "aliases").stream().map(Object::toString).toList());
    }

    static String str(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            throw new IllegalStateException("field '" + key + "' is missing");
        }
        return v.toString();
    }

    static Optional<String> opt(Map<String, Object> m, String key) {
        return Optional.ofNullable(m.get(key)).map(Object::toString);
    }

    /** A flag; false when the record has none. */
    static boolean bool(Map<String, Object> m, String key) {
        return Boolean.TRUE.equals(m.get(key));
    }

    /** A number; 0 when the record has none. */
    static long number(Map<String, Object> m, String key) {
        return m.get(key) instanceof Number n ? n.longValue() : 0;
    }

    /** A list; empty when the record has none. */
    @SuppressWarnings("unchecked")
    static List<Object> list(Map<String, Object> m, String key) {
        return m.get(key) instanceof List<?> l ? (List<Object>) l : List.of();
    }

    /** A list of objects; empty when the record has none. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> objects(Map<String, Object> m, String key) {
        return (List<Map<String, Object>>) (List<?>) list(m, key);
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> strings(Object value) {
        Map<String, String> out = new LinkedHashMap<>();
        if (value != null) {
            ((Map<String, Object>) value).forEach((k, v) -> out.put(k, String.valueOf(v)));
        }
        return out;
    }
}
