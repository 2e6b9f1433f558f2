package dev.ctrnet.core.container;

import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.core.CtrnetException;
import dev.ctrnet.core.state.FileModes;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The container's {@code /etc/hosts}, {@code /etc/hostname} and {@code /etc/resolv.conf}. */
public final class EtcFiles {
    private static final Pattern NAME_SERVER = Pattern.compile("\\s*nameserver\\s.*");
    private static final Pattern LOOPBACK_NAME_SERVER = Pattern.compile("\\s*nameserver\\s+(127\\..*|::1)\\s*");

    private EtcFiles() {}

    /**
     * Writes the three files into {@code dir}.
     *
     * @param address the container's address on its first network, when it has one
     * @param hostNetwork whether the container shares the host's namespace: then it keeps the host's
     *     name servers as they are, loopback ones included
     * @param nameServer its network's name server, when the network has one: the only one it asks, which
     *     forwards what it does not know to the host's
     */
    public static void write(Path dir, String hostname, Optional<InetAddress> address, boolean hostNetwork,
            Optional<InetAddress> nameServer) {
        StringBuilder hosts = new StringBuilder("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
        address.ifPresent(a -> hosts.append(IpAddresses.format(a)).append('\t').append(hostname).append('\n'));
        if (address.isEmpty()) {
            hosts.append("127.0.1.1\t").append(hostname).append('\n');
        }
        try {
            FileModes.createFolders(dir);
            FileModes.writeReadable(dir.resolve("hosts"), hosts.toString());
            FileModes.writeReadable(dir.resolve("hostname"), hostname + "\n");
            FileModes.writeReadable(dir.resolve("resolv.conf"), resolvConf(hostNetwork, nameServer));
        } catch (IOException e) {
            throw new CtrnetException("cannot write the container's files in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The host's resolv.conf; without the host's namespace, name servers on loopback (a local
     * resolver such as systemd-resolved's) cannot be reached from the container and are left out. With a
     * name server of its network, that one replaces the host's, and the host's search domains and options stay.
     */
    private static String resolvConf(boolean hostNetwork, Optional<InetAddress> nameServer) throws IOException {
        Path host = Path.of("/etc/resolv.conf");
        List<String> lines = Files.exists(host) ? Files.readAllLines(host) : List.of();
        String kept = lines.stream()
                .filter(l -> nameServer.isEmpty() || !NAME_SERVER.matcher(l).matches())
                .filter(l -> hostNetwork || !LOOPBACK_NAME_SERVER.matcher(l).matches())
                .collect(Collectors.joining("\n", "", "\n"));
        return nameServer.map(ns -> "nameserver " + IpAddresses.format(ns) + "\n").orElse("") + kept;
    }
}
