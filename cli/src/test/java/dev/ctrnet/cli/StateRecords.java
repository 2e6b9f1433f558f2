package dev.ctrnet.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What a state root says, read from its files as a user would read them (no code of ctrnet's): the networks,
 * the containers with their attachments and published ports, the IP leases, and what no command should leave
 * there (a container's folder without its record, a temporary file).
 *
 * @param networks {@code networks/NAME.json}
 * @param containers {@code containers/NAME/config.json}
 * @param leases {@code ipam/NETWORK/ADDRESS}, whose content is the owner's id
 * @param strays what is there but should not be, one sentence each
 */
record StateRecords(List<Net> networks, List<Container> containers, List<Lease> leases, List<String> strays) {
    /** A network: its bridge and subnet when its driver makes one. */
    record Net(String name, String driver, Optional<String> subnet, Optional<String> gateway, Optional<String> bridge,
            boolean internal, boolean masquerade) {
        /** The prefix length of its subnet, as an address on its bridge has it. */
        String prefix() {
            return subnet.map(s -> s.substring(s.indexOf('/') + 1)).orElse("");
        }
    }

    /** A container's interface on one network ({@code address} with its prefix length, as {@code 10.0.0.2/24}). */
    record Attachment(String network, String iface, Optional<String> address, Optional<String> gateway,
            Optional<String> mac, boolean defaultRoute, Optional<String> hostInterface) {
        Optional<String> ip() {
            return address.map(a -> a.substring(0, a.indexOf('/')));
        }
    }

    /** A published port as the record holds it: {@code hostPorts} and {@code containerPorts} are a port or a range. */
    record Port(String hostIp, String hostPorts, String containerPorts, String protocol) {
        int first() {
            return Integer.parseInt(hostPorts.split("-")[0]);
        }

        int last() {
            String[] range = hostPorts.split("-");
            return Integer.parseInt(range[range.length - 1]);
        }

        /** Docker's short form, as {@code 8080/tcp}. */
        String label() {
            return hostPorts + "/" + protocol;
        }
    }

    record Container(String name, String id, Optional<String> netns, Optional<String> uts, List<Attachment> networks,
            List<Port> ports) {}

    record Lease(String network, String address, String owner) {}

    Optional<Net> network(String name) {
        return networks.stream().filter(n -> n.name().equals(name)).findFirst();
    }

    Optional<Container> container(String name) {
        return containers.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** Reads the state root {@code root}; an absent one holds nothing. */
    static StateRecords of(Path root) {
        List<String> strays = new ArrayList<>();
        List<Net> networks = new ArrayList<>();
        for (Path file : list(root.resolve("networks"))) {
            if (file.toString().endsWith(".json")) {
                networks.add(network(Json.object(read(file))));
            }
        }
        List<Container> containers = new ArrayList<>();
        for (Path dir : list(root.resolve("containers"))) {
            Path config = dir.resolve("config.json");
            if (Files.exists(config)) {
                containers.add(container(Json.object(read(config))));
            } else {
                strays.add("container folder " + dir + " has no config.json");
            }
        }
        List<Lease> leases = new ArrayList<>();
        for (Path dir : list(root.resolve("ipam"))) {
            for (Path file : list(dir)) {
                String name = file.getFileName().toString();
                if (!name.startsWith("last") && !name.endsWith(".tmp")) {
                    leases.add(new Lease(dir.getFileName().toString(), name, read(file).strip()));
                }
            }
        }
        if (Files.isDirectory(root)) {
            try (Stream<Path> all = Files.walk(root)) {
                all.filter(p -> p.getFileName().toString().endsWith(".tmp"))
                        .forEach(p -> strays.add("temporary file " + p));
            } catch (IOException | UncheckedIOException e) {
                // a file removed while walking: the next check sees the rest
            }
        }
        return new StateRecords(networks, containers, leases, strays);
    }

    @SuppressWarnings("unchecked")
    private static Net network(Map<String, Object> n) {
        Map<String, Object> options = (Map<String, Object>) n.getOrDefault("options", Map.of());
        return new Net((String) n.get("name"), (String) n.get("driver"), text(n, "subnet"), text(n, "gateway"),
                text(options, "bridge"), Boolean.TRUE.equals(n.get("internal")),
                !"false".equals(options.get("masquerade")));
    }

    @SuppressWarnings("unchecked")
    private static Container container(Map<String, Object> c) {
        List<Attachment> attachments = new ArrayList<>();
        for (Map<String, Object> a : (List<Map<String, Object>>) c.getOrDefault("networks", List.of())) {
            Map<String, Object> driverData = (Map<String, Object>) a.getOrDefault("driverData", Map.of());
            attachments.add(new Attachment((String) a.get("network"), (String) a.get("interface"), text(a, "address"),
                    text(a, "gateway"), text(a, "mac"), Boolean.TRUE.equals(a.get("defaultRoute")),
                    text(driverData, "hostInterface")));
        }
        List<Port> ports = new ArrayList<>();
        for (Map<String, Object> p : (List<Map<String, Object>>) c.getOrDefault("ports", List.of())) {
            ports.add(new Port((String) p.get("hostIp"), String.valueOf(p.get("hostPorts")),
                    String.valueOf(p.get("containerPorts")), (String) p.get("protocol")));
        }
        return new Container((String) c.get("name"), (String) c.get("id"), text(c, "netns"), text(c, "uts"),
                attachments, ports);
    }

    private static Optional<String> text(Map<String, Object> map, String key) {
        return Optional.ofNullable(map.get(key)).map(Object::toString);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> list(Path dir) {
        try {
            return StateFiles.list(dir).stream().sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
