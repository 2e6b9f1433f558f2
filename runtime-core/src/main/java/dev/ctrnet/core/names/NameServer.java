package dev.ctrnet.core.names;

import dev.ctrnet.api.kernel.Programs;
import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.core.CrashPoint;
import dev.ctrnet.core.CtrnetException;
import dev.ctrnet.core.container.ProcessTable;
import dev.ctrnet.core.state.FileModes;
import dev.ctrnet.core.state.StateStore;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One network's name server: a dnsmasq in the host's namespace that listens on the network's gateway
 * address only, answers with the names of the network's containers, and forwards other names to the
 * resolvers the host's {@code /etc/resolv.conf} lists. It forwards from the host's namespace, so a
 * loopback resolver there (systemd-resolved's 127.0.0.53), which no container can reach, serves the
 * containers too, as with Podman's aardvark-dns and Docker's resolver.
 *
 * <p>Each container is one small hosts file in a folder dnsmasq watches ({@code --hostsdir}): adding or
 * removing one costs one file and no restart, whatever the number of containers. dnsmasq reads that folder
 * after it has given up root for its own user, so the folder is that user's (0500, no one else may enter
 * it) in {@code /run/ctrnet-names} (0711), a place every user can walk to, unlike the state root (0700).
 * Its configuration and pid file stay root's, under the runtime folder.
 *
 * @param network the network's name
 * @param address the network's gateway, the only address it listens on
 * @param folder its configuration and pid file
 * @param hostsDir the containers' records, one file per container, named by its id
 * @param forwards whether it forwards other names to the host's resolvers (not for an internal network)
 */
public record NameServer(String network, InetAddress address, Path folder, Path hostsDir, boolean forwards) {
    /** What the host's resolvers are read from; dnsmasq reads it again whenever it changes. */
    private static final String HOST_RESOLV_CONF = "/etc/resolv.conf";

    public NameServer {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(hostsDir, "hostsDir");
    }

    /** Its dnsmasq's configuration file. */
    public Path config() {
        return folder.resolve("dnsmasq.conf");
    }

    /** The file its dnsmasq writes its PID to. */
    public Path pidFile() {
        return folder.resolve("pid");
    }

    /** Whether its dnsmasq runs: the process its pid file names, started with its configuration. */
    public boolean running() {
        return pid().isPresent();
    }

    /**
     * Starts its dnsmasq and returns once it listens: dnsmasq reports a failure to bind, and exits, before
     * the process it was started as does.
     */
    public void start(Programs programs) {
        UserPrincipal user = serverUser();
        try {
            FileModes.createFolders(folder);
            Path shared = hostsDir.getParent();
            Files.createDirectories(shared);
            Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwx--x--x"));
            Files.createDirectories(hostsDir);
            Files.setOwner(hostsDir, user);
            Files.setPosixFilePermissions(hostsDir, PosixFilePermissions.fromString("r-x------"));
            FileModes.writePrivate(config(), configuration(user.getName()));
        } catch (IOException e) {
            throw new CtrnetException("cannot write the files of network " + network + "'s name server: "
                    + e.getMessage(), e);
        }
        Programs.Result started = programs.run(List.of("dnsmasq", configArgument()), "");
        if (!started.ok()) {
            String why = started.stderr().strip().lines().reduce((a, b) -> b).orElse("exit status " + started.exitCode());
            throw new CtrnetException("the name server of network " + network + " could not start: " + why);
        }
        CrashPoint.changed();
    }

    /** Stops its dnsmasq, if it runs, and removes its files and records. */
    public void stop() {
        halt();
        StateStore.deleteTree(hostsDir);
        StateStore.deleteTree(folder);
        try {
            Files.deleteIfExists(hostsDir.getParent()); // shared by every network of every state root: the last one out
        } catch (DirectoryNotEmptyException e) {
            // another network's server still has records
        } catch (IOException e) {
            throw new CtrnetException("cannot delete " + hostsDir.getParent() + ": " + e.getMessage(), e);
        }
        CrashPoint.changed();
    }

    /**
     * Walks a {@link #start} back: stops its dnsmasq and, unless it holds records of containers that were
     * there before (it had been found dead and restarted), removes its files.
     */
    public void undoStart() {
        if (owners().isEmpty()) {
            stop();
        } else {
            halt();
        }
    }

    /** Stops its dnsmasq, if it runs: SIGTERM, then SIGKILL. */
    private void halt() {
        pid().flatMap(ProcessHandle::of).ifPresent(process -> {
            process.destroy();
            if (!ProcessTable.awaitEnd(process, 0, Duration.ofSeconds(2))) {
                process.destroyForcibly();
                ProcessTable.awaitEnd(process, 0, Duration.ofSeconds(2));
            }
        });
    }

    /**
     * Gives {@code names} the address {@code address}, as the record of {@code owner} (a container's id),
     * replacing what that record held. dnsmasq skips files whose name starts with a dot, so the record is
     * written under one and then renamed: dnsmasq never reads half of it. dnsmasq reads the folder's changes
     * before the queries that reach it in the same turn of its loop, so a query sent once this returns is
     * answered from the new record.
     */
    public void record(String owner, InetAddress address, List<String> names) {
        Path draft = hostsDir.resolve("." + owner);
        try {
            Files.writeString(draft, IpAddresses.format(address) + "\t" + String.join(" ", names) + "\n");
            Files.setPosixFilePermissions(draft, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(draft, hostsDir.resolve(owner), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new CtrnetException("cannot write a record of network " + network + "'s name server in " + hostsDir
                    + ": " + e.getMessage(), e);
        }
        CrashPoint.changed();
    }

    /** Removes the record of {@code owner}; one already gone is fine. */
    public void forget(String owner) {
        StateStore.delete(hostsDir.resolve(owner));
        CrashPoint.changed();
    }

    /** Whose records it holds: containers' ids. */
    public Set<String> owners() {
        if (!Files.isDirectory(hostsDir)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.list(hostsDir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).collect(Collectors.toSet());
        } catch (IOException e) {
            throw new CtrnetException("cannot read " + hostsDir + ": " + e.getMessage(), e);
        }
    }

    private Optional<Long> pid() {
        try {
            long pid = Long.parseLong(Files.readString(pidFile()).trim());
            return ProcessTable.arguments(pid).filter(args -> args.contains(configArgument())).map(args -> pid);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty(); // never started, or stopped
        }
    }

    private String configArgument() {
        return "--conf-file=" + config();
    }

    /**
     * Its dnsmasq's configuration: bound to the gateway address alone (so one dnsmasq per network, and the
     * host's own resolver, can each have port 53), never on loopback, no {@code /etc/hosts} (the host's
     * names are not the containers'), plain names answered from the records only and never sent to the
     * host's resolvers, and no other configuration file read.
     */
    String configuration(String user) {
        return String.join("\n",
                "# ctrnet's name server for network " + network + ": written by ctrnet, which also removes it",
                "listen-address=" + IpAddresses.format(address),
                "bind-interfaces",
                "except-interface=lo",
                "no-hosts",
                "hostsdir=" + hostsDir,
                "pid-file=" + pidFile(),
                "user=" + user,
                "domain-needed",
                forwards ? "resolv-file=" + HOST_RESOLV_CONF : "no-resolv",
                "");
    }

    /** dnsmasq's own user, which Debian's package makes, or else {@code nobody}, dnsmasq's default. */
    private static UserPrincipal serverUser() {
        var users = FileSystems.getDefault().getUserPrincipalLookupService();
        for (String name : List.of("dnsmasq", "nobody")) {
            try {
                return users.lookupPrincipalByName(name);
            } catch (UserPrincipalNotFoundException e) {
                // try the next
            } catch (IOException e) {
                throw new CtrnetException("cannot look up user " + name + ": " + e.getMessage(), e);
            }
        }
        throw new CtrnetException("the host has no user dnsmasq or nobody for the name server to run as:"
                + " apt-get install dnsmasq-base");
    }
}
