package dev.ctrnet.cli;

import dev.ctrnet.api.Network;
import dev.ctrnet.api.NetworkSpec;
import dev.ctrnet.api.UserInput;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.core.Runtime;
import dev.ctrnet.core.container.ConnectTarget;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ctrnet network …}: user-defined networks. */
@Command(name = "network", description = "Manage networks.",
        subcommands = {NetworkCommand.Create.class, NetworkCommand.Ls.class, NetworkCommand.Inspect.class,
            NetworkCommand.Rm.class, NetworkCommand.Connect.class, NetworkCommand.Disconnect.class,
            NetworkCommand.Reload.class})
final class NetworkCommand {
    @Mixin
    HelpOption help;

    @ParentCommand
    Main main;

    @Command(name = "create", description = "Create a network.")
    static final class Create implements Callable<Integer> {
        @Mixin
        HelpOption help;

        @ParentCommand
        NetworkCommand parent;

        @Option(names = {"-d", "--driver"}, defaultValue = "bridge", description = "the driver (default bridge)")
        String driver;

        @Option(names = "--subnet", description = "the subnet in CIDR form (default: a free one from the pool);"
                + " with --ipv6, once more for the IPv6 subnet (default: a /64 of the pool)")
        List<String> subnets = new ArrayList<>();

        @Option(names = "--gateway", description = "the gateway (default: the subnet's first address); once per family")
        List<String> gateways = new ArrayList<>();

        @Option(names = "--ipv6", description = "dual stack: an IPv6 subnet beside the IPv4 one")
        boolean ipv6;

        @Option(names = "--internal", description = "no access to the outside world")
        boolean internal;

        @Option(names = {"-o", "--opt"}, paramLabel = "KEY=VALUE", description = "a driver option")
        List<String> opts = new ArrayList<>();

        @Mixin
        DryRunOption dryRun;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            Map<String, String> options = new LinkedHashMap<>();
            for (String o : opts) {
                int eq = o.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("--opt " + UserInput.quote(o) + " is not KEY=VALUE");
                }
                options.put(o.substring(0, eq), o.substring(eq + 1));
            }
            List<Cidr> cidrs = subnets.stream().map(Cidr::parse).toList();
            List<InetAddress> addresses = gateways.stream().map(IpAddresses::parse).toList();
            NetworkSpec spec = new NetworkSpec(name, driver, oneOf(cidrs, Cidr::isIpv4, "--subnet", "IPv4"),
                    oneOf(addresses, a -> a instanceof Inet4Address, "--gateway", "IPv4"), internal, options, ipv6,
                    oneOf(cidrs, c -> !c.isIpv4(), "--subnet", "IPv6"),
                    oneOf(addresses, a -> a instanceof Inet6Address, "--gateway", "IPv6"));
            if (dryRun.enabled) {
                return dryRun.print(parent.main.runtime(), "ctrnet network create", dry -> dry.runtime().createNetwork(spec));
            }
            Network network = parent.main.runtime().createNetwork(spec);
            System.out.println(network.id());
            return 0;
        }
    }

    /** The one value of {@code values} of a family, if any: Docker's way of giving a subnet per family. */
    private static <T> Optional<T> oneOf(List<T> values, Predicate<T> family, String option, String familyName) {
        List<T> matching = values.stream().filter(family).toList();
        if (matching.size() > 1) {
            throw new IllegalArgumentException(option + " is given " + matching.size() + " times for " + familyName
                    + ": give at most one of each IP family");
        }
        return matching.stream().findFirst();
    }

    @Command(name = "ls", description = "List networks.")
    static final class Ls implements Callable<Integer> {
        @Mixin
        HelpOption help;

        @ParentCommand
        NetworkCommand parent;

        @Option(names = "--format", description = "table, or json for a JSON array of the objects network inspect prints")
        OutputFormat format = OutputFormat.TABLE;

        @Override
        public Integer call() {
            var runtime = parent.main.runtime();
            List<Network> networks = runtime.networks();
            if (format == OutputFormat.JSON) {
                System.out.println(Views.json(networks.stream()
                        .map(n -> Views.network(runtime, n)).toList()));
                return 0;
            }
            String row = "%-12s  %-20s  %-8s  %-18s  %s%n";
            System.out.printf(row, "ID", "NAME", "DRIVER", "SUBNET", "BRIDGE");
            for (Network n : networks) {
                System.out.printf(row, n.id().substring(0, 12), n.name(), n.driver(),
                        n.subnet().map(Object::toString).orElse("") + n.subnet6().map(s -> "," + s).orElse(""),
                        n.option("bridge").orElse(""));
            }
            return 0;
        }
    }

    @Command(name = "inspect", description = "Show a network as JSON, or draw it (--diagram).")
    static final class Inspect implements Callable<Integer> {
        @Mixin
        HelpOption help;

        @ParentCommand
        NetworkCommand parent;

        @Option(names = "--diagram", description = "draw the network: host, uplink, bridge, veth pairs, containers, ports")
        boolean diagram;

        @Option(names = "--format", paramLabel = "text|dot|svg",
                description = "with --diagram: text (box characters), dot (Graphviz) or svg (drawn by Graphviz's dot)")
        Optional<DiagramFormat> format = Optional.empty();

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            var runtime = parent.main.runtime();
            if (diagram) {
                Diagram.print(runtime.topology(Optional.of(name)), format.orElse(DiagramFormat.TEXT));
                return 0;
            }
            if (format.isPresent()) {
                throw new IllegalArgumentException("--format " + format.get().name().toLowerCase(java.util.Locale.ROOT)
                        + " draws a picture: add --diagram");
            }
            System.out.println(Views.json(Views.network(runtime, runtime.network(name))));
            return 0;
        }
    }

    @Command(name = "rm", description = "Remove networks (refused while containers are attached).")
    static final class Rm implements Callable<Integer> {
        @Mixin
        HelpOption help;

        @ParentCommand
        NetworkCommand parent;

        @Mixin
        DryRunOption dryRun;

        @Parameters(arity = "1..*", paramLabel = "NAME")
        List<String> names = new ArrayList<>();

        @Override
        public Integer call() {
            if (dryRun.enabled) {
                return dryRun.each(parent.main.runtime(), "ctrnet network rm", names, Runtime::removeNetwork);
            }
            return Main.eachName(names, name -> parent.main.runtime().removeNetwork(name));
        }
    }

    /** {@code NETWORK CONTAINER} or {@code NETWORK --pid PID}: what connect and disconnect act on. */
    static final class ConnectionOptions {
        @Option(names = "--pid", description = "a process's network namespace instead of a container")
        Optional<Long> pid = Optional.empty();

        @Parameters(index = "0", paramLabel = "NETWORK")
        String network;

        @Parameters(index = "1", arity = "0..1", paramLabel = "CONTAINER")
        Optional<String> container = Optional.empty();

        /** The container or the process: exactly one. */
        ConnectTarget target() {
            if (container.isPresent() == pid.isPresent()) {
                throw new IllegalArgumentException("name a container or give --pid PID, not both and not neither");
            }
            return container.<ConnectTarget>map(ConnectTarget.Container::new)
                    .orElseGet(() -> new ConnectTarget.Process(pid.orElseThrow()));
        }
    }

    @Command(name = "connect", description = "Connect a container, or any process's network namespace, to a network.")
    static final class Connect implements Callable<Integer> {
        @Mixin
        HelpOption help;

        @Mixin
        ConnectionOptions connection;

        @ParentCommand
        NetworkCommand parent;

        @Option(names = "--ip", description = "the address on the network")
        Optional<String> ip = Optional.empty();

        @Option(names = {"--alias", "--network-alias"}, paramLabel = "ALIAS",
                description = "another name it answers to on the network's name server")
        List<String> aliases = new ArrayList<>();

        @Mixin
        DryRunOption dryRun;

        @Override
        public Integer call() {
            ConnectTarget target = connection.target();
            Optional<InetAddress> address = ip.map(IpAddresses::parse);
            if (dryRun.enabled) {
                return dryRun.print(parent.main.runtime(), "ctrnet network connect",
                        dry -> dry.runtime().connect(connection.network, target, address, aliases));
            }
            parent.main.runtime().connect(connection.network, target, address, aliases);
            return 0;
        }
    }

    @Command(name = "disconnect", description = "Disconnect a container or a process from a network.")
    static final class Disconnect implements Callable<Integer> {
        @Mixin
        HelpOption help;

        @Mixin
        ConnectionOptions connection;

        @ParentCommand
        NetworkCommand parent;

        @Mixin
        DryRunOption dryRun;

        @Override
        public Integer call() {
            ConnectTarget target = connection.target();
            if (dryRun.enabled) {
                return dryRun.print(parent.main.runtime(), "ctrnet network disconnect",
                        dry -> dry.runtime().disconnect(connection.network, target));
            }
            parent.main.runtime().disconnect(connection.network, target);
            return 0;
        }
    }

    @Command(name = "reload", description = "Re-apply every bridge and rule from the state (after a firewall flush).")
    static final class Reload implements Callable<Integer> {
        @Mixin
        HelpOption help;

        @ParentCommand
        NetworkCommand parent;

        @Override
        public Integer call() {
            parent.main.runtime().reload();
            return 0;
        }
    }
}
