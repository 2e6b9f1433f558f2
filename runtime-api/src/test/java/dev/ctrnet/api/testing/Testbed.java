package dev.ctrnet.api.testing;

import dev.ctrnet.api.Attachment;
import dev.ctrnet.api.Endpoint;
import dev.ctrnet.api.Network;
import dev.ctrnet.api.NetworkDriver;
import dev.ctrnet.api.kernel.Kernel;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.IpAddresses;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The test sandbox as a host on which the contracts use a driver the way the runtime does: it makes networks
 * (validated, then created) and containers (a namespace each, then attached), with the addresses IPAM would lease,
 * beside an {@link Outside}. Every driver call goes through {@link DriverUnderTest#runRecorded}, as in the runtime.
 * {@link #close()} detaches and deletes what is left and removes the namespaces, also after a failed test.
 */
public final class Testbed implements AutoCloseable {
    /** Routed networks: /26 blocks of {@link Outside#CONTAINER_SUBNETS}, the host first in each. */
    private static final Cidr ROUTED = Cidr.parse(Outside.CONTAINER_SUBNETS);
    private static final int BLOCK = 64;

    private final DriverUnderTest underTest;
    private final NetworkDriver driver;
    private final Outside outside;
    /** The host's links before the testbed was built, which {@link #close} waits for. */
    private final NamespaceState hostLinksBefore;
    private final List<Network> networks = new ArrayList<>();
    /** Every network planned, created or not: a failed create may have left something that delete removes. */
    private final List<Network> toDelete = new ArrayList<>();
    private final Map<String, Container> containers = new LinkedHashMap<>();
    private final Map<String, Namespace> sandboxes = new LinkedHashMap<>();

    /** A container attached to a network of the testbed. */
    public record Container(String name, Namespace sandbox, Network network, Endpoint endpoint, Attachment attachment) {
        /** Its address on the network, as text. */
        public String address() {
            return IpAddresses.format(endpoint.address().orElseThrow().address());
        }
    }

    /** A testbed for {@code underTest}, with the outside built. */
    public Testbed(DriverUnderTest underTest) {
        Shell.requireSandbox();
        this.underTest = underTest;
        this.driver = underTest.driver();
        this.hostLinksBefore = NamespaceState.linksOfHost();
        this.outside = new Outside();
    }

    /** The driver under test. */
    public NetworkDriver driver() {
        return driver;
    }

    /** The outside world. */
    public Outside outside() {
        return outside;
    }

    /** The networks made, in order. */
    public List<Network> networks() {
        return List.copyOf(networks);
    }

    /** The containers attached, in order. */
    public List<Container> containers() {
        return List.copyOf(containers.values());
    }

    /** Makes a network named {@code name}: its driver's {@code validate}, then {@code create}. */
    public Network network(String name, boolean internal) {
        Network network = planned(name, internal);
        run(kernel -> driver.create(network, kernel));
        networks.add(network);
        return network;
    }

    /**
     * The next network, validated by the driver but not created: a subnet of its own, the host as the gateway, and
     * the driver's options; on the outside's segment, with the outside as the gateway, for a driver that {@link
     * DriverUnderTest#joinsUplinkSegment joins it}.
     */
    public Network planned(String name, boolean internal) {
        Cidr subnet;
        InetAddress gateway;
        if (underTest.joinsUplinkSegment()) {
            if (!networks.isEmpty()) {
                throw new IllegalStateException("the outside's segment holds one network of the kit");
            }
            subnet = Cidr.parse(Outside.SUBNET);
            gateway = IpAddresses.parse(Outside.ADDRESS);
        } else {
            subnet = new Cidr(ROUTED.addressAt(BigInteger.valueOf((long) BLOCK * networks.size())), 26);
            gateway = subnet.addressAt(BigInteger.ONE);
        }
        Network network = driver.validate(new Network(name, id(name), driver.name(), Optional.of(subnet),
                Optional.of(gateway), internal, underTest.options()));
        toDelete.add(network);
        return network;
    }

    /** Deletes {@code network} with its driver. */
    public void delete(Network network) {
        run(kernel -> driver.delete(network, kernel));
        networks.remove(network);
    }

    /** A new namespace for a container named {@code name}, made as the runtime makes one. */
    public Namespace sandbox(String name) {
        Namespace sandbox = Namespace.add("ctk-" + name, underTest.kernel().namespaces());
        sandboxes.put(name, sandbox);
        return sandbox;
    }

    /** Removes the namespace of container {@code name}, with what is in it. */
    public void removeSandbox(String name) {
        sandboxes.remove(name).close();
    }

    /** A new container {@code name}: a namespace of its own, attached to {@code network}. */
    public Container container(String name, Network network) {
        return attach(name, sandbox(name), network);
    }

    /** Attaches container {@code name}, whose namespace is {@code sandbox}, to {@code network}. */
    public Container attach(String name, Namespace sandbox, Network network) {
        return attach(name, sandbox, network, FailingKernel.never());
    }

    /** Attaches container {@code name} to {@code network} with {@code failure} in the way of the kernel. */
    public Container attach(String name, Namespace sandbox, Network network, FailingKernel failure) {
        Endpoint endpoint = endpoint(name, sandbox, network);
        AtomicReference<Attachment> made = new AtomicReference<>();
        run(failure, kernel -> made.set(driver.attach(network, endpoint, kernel)));
        Container container = new Container(name, sandbox, network, endpoint, made.get());
        containers.put(name, container);
        return container;
    }

    /** Attaches {@code container} again, as it is: what the driver's {@code attach} returns this time. */
    public Attachment attachAgain(Container container) {
        AtomicReference<Attachment> made = new AtomicReference<>();
        run(kernel -> made.set(driver.attach(container.network(), container.endpoint(), kernel)));
        return made.get();
    }

    /**
     * Where container {@code name} in {@code sandbox} joins {@code network}, as the runtime decides it: {@code eth0},
     * the next free address, the network's gateway, and the default route unless the network is internal.
     */
    public Endpoint endpoint(String name, Namespace sandbox, Network network) {
        Cidr subnet = network.subnet().orElseThrow();
        InetAddress gateway = network.gateway().orElseThrow();
        long taken = containers.values().stream().filter(c -> c.network().equals(network)).count();
        // on the outside's segment, clear of the host and the outside; behind the host, right after the gateway
        long first = underTest.joinsUplinkSegment() ? 10 : subnet.offsetOf(gateway).longValue() + 1;
        Cidr address = new Cidr(subnet.addressAt(BigInteger.valueOf(first + taken)), subnet.prefixLength());
        return new Endpoint(name, id(name), sandbox.namespace(), "eth0", Optional.of(address), Optional.of(gateway),
                !network.internal());
    }

    /** Detaches {@code container}; when {@code sandboxGoing}, its namespace is removed right after, as in the runtime. */
    public void detach(Container container, boolean sandboxGoing) {
        run(kernel -> driver.detach(container.network(), container.endpoint(), container.attachment(), kernel,
                sandboxGoing));
        if (sandboxGoing) {
            containers.remove(container.name());
            if (sandboxes.containsKey(container.name())) {
                removeSandbox(container.name());
            }
        }
    }

    /** Runs a driver call as the runtime would, through {@link DriverUnderTest#runRecorded}. */
    public void run(Consumer<Kernel> call) {
        run(FailingKernel.never(), call);
    }

    /** Runs a driver call as the runtime would, with {@code failure} in the way of the kernel. */
    public void run(FailingKernel failure, Consumer<Kernel> call) {
        underTest.runRecorded(failure.around(underTest.kernel()), call);
    }

    /** Detaches every container, deletes every network and removes every namespace, going on past failures. */
    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (Container container : containers()) {
            attempt(failures, () -> detach(container, true));
        }
        for (String name : List.copyOf(sandboxes.keySet())) {
            attempt(failures, () -> removeSandbox(name));
        }
        for (Network network : toDelete) {
            attempt(failures, () -> delete(network));
        }
        attempt(failures, outside::close);
        // the kernel destroys the veths of removed namespaces in the background: the next testbed's host (and the
        // state a test compares with) must not hold one of this testbed's; what a driver left is its test's to report
        NamespaceState.awaitHostLinks(hostLinksBefore);
        if (!failures.isEmpty()) {
            RuntimeException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    private static void attempt(List<RuntimeException> failures, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }

    /**
     * A stable id of 64 hex digits, as the runtime gives networks and containers, and like the runtime's (which are
     * random) different from the first digit on: drivers name host links after the first few, so ids of similar
     * names ({@code t1}, {@code t2}) must not share them.
     */
    private static String id(String name) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
