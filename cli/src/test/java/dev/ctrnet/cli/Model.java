package dev.ctrnet.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a sequence of commands predicts of a state root: each container's networks (in order: the first is
 * where its ports lead) and published ports ({@code 8080/tcp}), and the user-defined networks. Values, so that
 * a step's prediction and the state it left are compared whole.
 */
record Model(Map<String, Model.Container> containers, Set<String> networks) {
    /** The networks that exist without being created. */
    static final Set<String> BUILT_IN = Set.of("bridge", "host", "none");

    record Container(List<String> networks, List<String> ports) {
        Container {
            networks = List.copyOf(networks);
            ports = List.copyOf(ports);
        }
    }

    Model {
        containers = new TreeMap<>(containers);
        networks = new TreeSet<>(networks);
    }

    /** What the state root's records hold. */
    static Model of(StateRecords records) {
        Map<String, Container> containers = new TreeMap<>();
        for (StateRecords.Container c : records.containers()) {
            containers.put(c.name(), new Container(c.networks().stream().map(StateRecords.Attachment::network).toList(),
                    c.ports().stream().map(StateRecords.Port::label).toList()));
        }
        Set<String> networks = new TreeSet<>();
        records.networks().stream().map(StateRecords.Net::name).filter(n -> !BUILT_IN.contains(n)).forEach(networks::add);
        return new Model(containers, networks);
    }

    boolean hasNetwork(String name) {
        return BUILT_IN.contains(name) || networks.contains(name);
    }

    /**
     * Whether a container publishes host port {@code label} ({@code 8080/tcp}) on every address already: one
     * with a network, since a container's ports follow its first network.
     */
    boolean portTaken(String label) {
        return containers.values().stream().anyMatch(c -> !c.networks().isEmpty() && c.ports().contains(label));
    }

    /** Whether container {@code name}, if it has no network, could not publish its ports again: another took one. */
    boolean portsTakenFrom(String name) {
        Container c = containers.get(name);
        return c.networks().isEmpty() && c.ports().stream().anyMatch(this::portTaken);
    }

    /** Whether a container is attached to network {@code name}. */
    boolean inUse(String name) {
        return containers.values().stream().anyMatch(c -> c.networks().contains(name));
    }

    Model with(String name, Container container) {
        Map<String, Container> next = new TreeMap<>(containers);
        next.put(name, container);
        return new Model(next, networks);
    }

    Model without(String name) {
        Map<String, Container> next = new TreeMap<>(containers);
        next.remove(name);
        return new Model(next, networks);
    }

    Model withNetwork(String name) {
        Set<String> next = new TreeSet<>(networks);
        next.add(name);
        return new Model(containers, next);
    }

    Model withoutNetwork(String name) {
        Set<String> next = new TreeSet<>(networks);
        next.remove(name);
        return new Model(containers, next);
    }

    /** Container {@code name} with network {@code network} added (connect) or taken away (disconnect). */
    Model reattached(String name, String network, boolean connected) {
        Container c = containers.get(name);
        List<String> networks = new ArrayList<>(c.networks());
        if (connected) {
            networks.add(network);
        } else {
            networks.remove(network);
        }
        return with(name, new Container(networks, c.ports()));
    }
}
