package dev.ctrnet.core;

import dev.ctrnet.api.Network;
import dev.ctrnet.api.kernel.Programs;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.core.container.NetworkAttachment;
import dev.ctrnet.core.dryrun.ShellScript;
import dev.ctrnet.core.names.NameServer;
import dev.ctrnet.core.names.NameServerStatus;
import dev.ctrnet.core.plugin.DriverCatalog;
import dev.ctrnet.core.undo.KernelChange;
import dev.ctrnet.core.undo.Rollback;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.inject.Inject;

/**
 * Names on user-defined networks: which networks have a name server ({@link NameServer}), and each server's
 * records kept equal to what is attached to its network. A network has one when it is not built in (the
 * default {@code bridge} keeps Docker's behaviour: no names) and its driver routes it through the host, which
 * it says by declaring a firewall zone: then the gateway is the host's own address, where the server can
 * listen, and the zone's rules keep every other interface away from it. So the core names no driver.
 *
 * <p>A server starts with the first container that gets a name on its network, rather than with the
 * network: a network nobody uses costs no process, and the check at each attach (its pid file and
 * {@code /proc}) also restarts a server found dead. It stops when its network is removed.
 */
final class NameService {
    /** Where the servers' records are: a folder every user can walk through to the one dnsmasq's user reads. */
    static final Path RECORDS = Path.of("/run/ctrnet-names");

    private final RuntimeConfig config;
    private final DriverCatalog catalog;
    private final Programs programs;
    /** A dry run's script: the servers and their records are left as they are, and the script says so. */
    private final Optional<ShellScript> dryRun;

    @Inject
    NameService(RuntimeConfig config, DriverCatalog catalog, Programs programs) {
        this(config, catalog, programs, Optional.empty());
    }

    private NameService(RuntimeConfig config, DriverCatalog catalog, Programs programs, Optional<ShellScript> dryRun) {
        this.config = config;
        this.catalog = catalog;
        this.programs = programs;
        this.dryRun = dryRun;
    }

    /** The name service of a dry run, which starts, stops and writes nothing and notes in {@code script} what it would. */
    static NameService scripted(RuntimeConfig config, DriverCatalog catalog, Programs programs, ShellScript script) {
        return new NameService(config, catalog, programs, Optional.of(script));
    }

    /** The name server of {@code network}, when it has one. */
    Optional<NameServer> of(Network network) {
        if (catalog.builtInNetworks(config.scope()).containsKey(network.name()) || network.gateway().isEmpty()
                || catalog.driver(network.driver()).flatMap(d -> d.firewallZone(network)).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new NameServer(network.name(), network.gateway().get(),
                config.runDir().resolve("dns").resolve(network.name()), RECORDS.resolve(network.id()),
                !network.internal()));
    }

    /** Refuses aliases on a network without names, before anything is made. */
    void requireNamesFor(Network network, List<String> aliases) {
        if (!aliases.isEmpty() && of(network).isEmpty()) {
            throw new CtrnetException("network " + network.name() + " has no names: --network-alias needs a"
                    + " user-defined network (ctrnet network create)");
        }
    }

    /**
     * Gives {@code owner}'s {@code name} (a container's; none for a process) and aliases its address on
     * {@code network}, starting the network's server when it does not run. Each change's undo is recorded
     * in {@code rollback} before the change is made.
     */
    void register(Network network, String owner, Optional<String> name, NetworkAttachment attachment,
            Rollback rollback) {
        Optional<NameServer> server = of(network);
        Optional<InetAddress> address = attachment.attachment().address().map(Cidr::address);
        List<String> names = new ArrayList<>();
        name.ifPresent(names::add);
        names.addAll(attachment.aliases());
        if (server.isEmpty() || address.isEmpty() || names.isEmpty()) {
            return;
        }
        if (dryRun.isPresent()) {
            dryRun.get().note("not part of the dry run: network " + network.name() + "'s name server (dnsmasq on "
                    + IpAddresses.format(server.get().address()) + ", started with its first named container) learns "
                    + String.join(", ", names) + " -> " + IpAddresses.format(address.get()));
            return;
        }
        if (!server.get().running()) {
            rollback.record(new KernelChange.NameServerStarted(server.get()));
            server.get().start(programs);
        }
        rollback.record(new KernelChange.NameRecorded(server.get(), owner));
        server.get().record(owner, address.get(), names);
    }

    /** Removes {@code owner}'s names from {@code network}'s server. */
    void unregister(Network network, String owner) {
        if (dryRun.isPresent()) {
            of(network).ifPresent(server -> dryRun.get().note("not part of the dry run: network " + network.name()
                    + "'s name server forgets the names of " + owner.substring(0, Math.min(12, owner.length()))));
            return;
        }
        of(network).ifPresent(server -> server.forget(owner));
    }

    /** Stops {@code network}'s server and removes its files, when it is removed. */
    void remove(Network network) {
        if (dryRun.isPresent()) {
            of(network).ifPresent(server -> dryRun.get().note("not part of the dry run: network " + network.name()
                    + "'s name server (dnsmasq) stops, and its files go"));
            return;
        }
        of(network).ifPresent(NameServer::stop);
    }

    /**
     * After a crash or a kill: drops the records whose owner is gone, and restarts each server found dead
     * that still holds records.
     *
     * @param owners the ids of every container and connected process
     * @return one line per thing repaired
     */
    List<String> repair(List<Network> networks, Set<String> owners) {
        List<String> done = new ArrayList<>();
        for (Network network : networks) {
            Optional<NameServer> found = of(network);
            if (found.isEmpty()) {
                continue;
            }
            NameServer server = found.get();
            Set<String> recorded = server.owners();
            for (String owner : recorded) {
                if (Ids.isId(owner) && !owners.contains(owner)) {
                    server.forget(owner);
                    done.add("removed the names of " + owner.substring(0, 12) + " from network " + network.name());
                }
            }
            if (!server.owners().isEmpty() && !server.running()) {
                server.start(programs);
                done.add("restarted the name server of network " + network.name());
            }
        }
        return done;
    }

    /** The name server of {@code network} as {@code network inspect} shows it; none when it has none. */
    Optional<NameServerStatus> status(Network network) {
        return of(network).map(server -> new NameServerStatus(server.address(), server.running()));
    }
}
