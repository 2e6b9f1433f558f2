package dev.ctrnet.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.ctrnet.api.Network;
import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.api.net.PortMapping;
import dev.ctrnet.core.container.Capability;
import dev.ctrnet.core.container.ContainerRecord;
import dev.ctrnet.core.container.ContainerState;
import dev.ctrnet.core.container.NetworkAttachment;
import dev.ctrnet.core.doctor.Diagnosis;
import dev.ctrnet.core.Runtime;
import dev.ctrnet.core.doctor.Hop;
import dev.ctrnet.core.names.NameServerStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The JSON objects of CLI.md: what {@code inspect} and {@code --format json} print. */
final class Views {
    private static final JSON PRETTY = JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT);

    private Views() {}

    static Map<String, Object> container(ContainerState state) {
        ContainerRecord c = state.record();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("id", c.id());
        m.put("state", state.status());
        m.put("pid", state.running() ? c.pid() : 0);
        state.exitCode().ifPresent(code -> m.put("exitCode", code));
        m.put("created", c.created());
        m.put("command", c.command());
        m.put("hostname", c.hostname());
        List<Map<String, Object>> networks = c.networks().stream().map(Views::attachment).toList();
        Map<String, Object> first = networks.isEmpty() ? Map.of() : networks.get(0);
        m.put("network", first.getOrDefault("network", ""));
        m.put("ip", first.getOrDefault("ip", ""));
        m.put("gateway", first.getOrDefault("gateway", ""));
        m.put("ip6", first.getOrDefault("ip6", ""));
        m.put("gateway6", first.getOrDefault("gateway6", ""));
        m.put("mac", first.getOrDefault("mac", ""));
        m.put("netns", c.netns().map(Object::toString).orElse(""));
        m.put("networks", networks);
        m.put("ports", ports(c.ports()));
        c.rootfs().ifPresent(r -> m.put("rootfs", r.toString()));
        m.put("privileged", c.privileges().privileged());
        m.put("capabilities", c.privileges().capabilities().stream().map(Capability::dockerName).toList());
        return m;
    }

    /** A network with its containers and its name server, as {@code network inspect} prints it. */
    static Map<String, Object> network(Runtime runtime, Network n) {
        List<String> containers = runtime.containersOn(n.name());
        Optional<NameServerStatus> nameServer = runtime.nameServer(n);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", n.name());
        m.put("id", n.id());
        m.put("driver", n.driver());
        m.put("subnet", n.subnet().map(Object::toString).orElse(""));
        m.put("gateway", n.gateway().map(IpAddresses::format).orElse(""));
        m.put("ipv6", n.ipv6());
        m.put("subnet6", n.subnet6().map(Object::toString).orElse(""));
        m.put("gateway6", n.gateway6().map(IpAddresses::format).orElse(""));
        m.put("bridge", n.option("bridge").orElse(""));
        m.put("internal", n.internal());
        m.put("options", n.options());
        m.put("containers", containers);
        Map<String, Object> dns = new LinkedHashMap<>();
        dns.put("address", nameServer.map(s -> IpAddresses.format(s.address())).orElse(""));
        dns.put("state", nameServer.map(s -> s.running() ? "running" : "stopped").orElse("none"));
        m.put("dns", dns);
        return m;
    }

    /** One entry per published port, ranges spelled out, as Docker does. */
    static List<Map<String, Object>> ports(List<PortMapping> mappings) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (PortMapping p : mappings) {
            for (int i = 0; i < p.hostPorts().size(); i++) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("hostIp", IpAddresses.format(p.hostIp()));
                m.put("hostPort", p.hostPorts().first() + i);
                m.put("containerPort", p.containerPorts().first() + i);
                m.put("protocol", p.protocol().id());
                out.add(m);
            }
        }
        return out;
    }

    /** A path {@code doctor} walked: its hops, in the order a packet takes them, and the first broken one. */
    static Map<String, Object> diagnosis(Diagnosis d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", d.path());
        m.put("healthy", d.healthy());
        m.put("firstBroken", d.firstBroken().map(Hop::name).orElse(""));
        m.put("hops", d.hops().stream().map(h -> {
            Map<String, Object> hop = new LinkedHashMap<>();
            hop.put("hop", h.name());
            hop.put("status", h.status().name().toLowerCase(Locale.ROOT));
            hop.put("detail", h.detail());
            hop.put("fix", h.fix().orElse(""));
            return hop;
        }).toList());
        return m;
    }

    static String json(Object value) {
        try {
            return PRETTY.asString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> attachment(NetworkAttachment a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("network", a.network());
        m.put("interface", a.attachment().interfaceName().orElse(""));
        m.put("ip", a.attachment().address().map(c -> IpAddresses.format(c.address())).orElse(""));
        m.put("prefixLength", a.attachment().address().map(c -> c.prefixLength()).orElse(0));
        m.put("gateway", a.attachment().gateway().map(IpAddresses::format).orElse(""));
        m.put("ip6", a.attachment().address6().map(c -> IpAddresses.format(c.address())).orElse(""));
        m.put("prefixLength6", a.attachment().address6().map(c -> c.prefixLength()).orElse(0));
        m.put("gateway6", a.attachment().gateway6().map(IpAddresses::format).orElse(""));
        m.put("mac", a.attachment().mac().map(Object::toString).orElse(""));
        m.put("aliases", a.aliases());
        return m;
    }
}
