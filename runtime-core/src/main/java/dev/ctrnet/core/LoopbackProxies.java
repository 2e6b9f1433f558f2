package dev.ctrnet.core;

import dev.ctrnet.api.kernel.Programs;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.PortMapping;
import dev.ctrnet.core.container.ContainerRecord;
import dev.ctrnet.core.container.NetworkAttachment;
import dev.ctrnet.core.dryrun.ShellScript;
import dev.ctrnet.core.proxy.LoopbackProxy;
import dev.ctrnet.core.state.StateStore;
import dev.ctrnet.core.undo.KernelChange;
import dev.ctrnet.core.undo.Rollback;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import javax.inject.Inject;

/**
 * The {@code [::1]} side of the ports published by containers on dual-stack networks: one
 * {@link LoopbackProxy} per host port whose host address is unspecified or {@code ::1}, started after the
 * container's firewall rules and stopped at {@code rm}; a range of more than {@value #MOST_PORTS} ports gets
 * none. Each container's proxies have a folder named by its
 * id, so that {@code system prune} finds the proxies of containers that are gone.
 */
final class LoopbackProxies {
    /** The widest range of ports given proxies: one process per port, as Docker's, does not scale to thousands. */
    static final int MOST_PORTS = 64;

    private final Path root;
    private final Programs programs;
    /** A dry run's script: no proxy starts or stops, and the script says which would. */
    private final Optional<ShellScript> dryRun;

    @Inject
    LoopbackProxies(RuntimeConfig config, Programs programs) {
        this(config, programs, Optional.empty());
    }

    private LoopbackProxies(RuntimeConfig config, Programs programs, Optional<ShellScript> dryRun) {
        this.root = config.runDir().resolve("proxies");
        this.programs = programs;
        this.dryRun = dryRun;
    }

    /** The proxies of a dry run, which start and stop nothing and note in {@code script} what they would. */
    static LoopbackProxies scripted(RuntimeConfig config, Programs programs, ShellScript script) {
        return new LoopbackProxies(config, programs, Optional.of(script));
    }

    /** Starts the proxies of {@code container}, each one's undo recorded in {@code rollback} before it starts. */
    void start(ContainerRecord container, Rollback rollback) {
        for (LoopbackProxy proxy : proxiesOf(container)) {
            if (dryRun.isPresent()) {
                dryRun.get().note("not part of the dry run: a userland proxy (socat) answers " + proxy.describe());
                continue;
            }
            rollback.record(new KernelChange.LoopbackProxyStarted(proxy));
            proxy.start(programs);
        }
    }

    /** Stops the proxies of {@code container} and removes their folder. */
    void stop(ContainerRecord container) {
        if (dryRun.isPresent()) {
            proxiesOf(container).forEach(proxy -> dryRun.get().note("not part of the dry run: the userland proxy of "
                    + proxy.describe() + " stops"));
            return;
        }
        stopAll(root.resolve(container.id()));
    }

    /**
     * Stops the proxies whose container is gone (after a crash or a kill).
     *
     * @param owners the ids of every container
     * @return one line per container whose proxies were stopped
     */
    List<String> repair(Set<String> owners) {
        List<String> done = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return done;
        }
        try (Stream<Path> folders = Files.list(root)) {
            for (Path folder : folders.toList()) {
                String id = folder.getFileName().toString();
                if (!owners.contains(id)) {
                    stopAll(folder);
                    done.add("stopped the [::1] proxies of removed container " + id.substring(0, Math.min(12, id.length())));
                }
            }
        } catch (IOException e) {
            throw new CtrnetException("cannot read " + root + ": " + e.getMessage(), e);
        }
        return done;
    }

    /** The proxies a container's ports need: on its first network with IPv6, for ports not on one address. */
    private List<LoopbackProxy> proxiesOf(ContainerRecord container) {
        Optional<InetAddress> address6 = container.networks().stream()
                .map(NetworkAttachment::attachment)
                .flatMap(a -> a.address6().stream())
                .map(Cidr::address)
                .findFirst();
        List<LoopbackProxy> proxies = new ArrayList<>();
        if (address6.isEmpty()) {
            return proxies;
        }
        Path folder = root.resolve(container.id());
        for (PortMapping port : container.ports()) {
            InetAddress host = port.hostIp();
            boolean onLoopback = host.isAnyLocalAddress() || (host instanceof Inet6Address && host.isLoopbackAddress());
            if (onLoopback && port.hostPorts().size() <= MOST_PORTS) {
                for (int i = 0; i < port.hostPorts().size(); i++) {
                    proxies.add(new LoopbackProxy(folder, port.protocol(), port.hostPorts().first() + i,
                            address6.get(), port.containerPorts().first() + i));
                }
            }
        }
        return proxies;
    }

    /** Stops every proxy whose pid file is in {@code folder}, then removes it. */
    private static void stopAll(Path folder) {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.toList()) {
                if (file.getFileName().toString().endsWith(".pid")) {
                    LoopbackProxy.stopByPidFile(file);
                }
            }
        } catch (IOException e) {
            throw new CtrnetException("cannot read " + folder + ": " + e.getMessage(), e);
        }
        StateStore.deleteTree(folder);
    }
}
