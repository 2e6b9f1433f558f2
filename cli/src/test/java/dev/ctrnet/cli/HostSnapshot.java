package dev.ctrnet.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a user would compare to tell whether a command changed anything: every file under a state root with
 * a digest of its content (but IPAM's search hint), the links, the namespaces {@code ip netns} knows, and every nftables and
 * iptables rule, as the kernel's own tools print them.
 *
 * @param files each file and folder under the root, with its content's digest ("dir" for a folder), but for
 *     {@code ipam/NETWORK/last}, where the next search for a free address starts, and the service's folder
 * @param links {@code ip -j link}
 * @param namespaces {@code ip netns list}
 * @param nftables {@code nft list ruleset}, without counters (the kernel's own traffic, such as a new bridge's IGMP
 *     reports, moves those of iptables-nft's rules)
 * @param iptables {@code iptables-save}, without its comment lines (they hold the time) and counters
 */
record HostSnapshot(Map<String, String> files, String links, String namespaces, String nftables, String iptables) {
    /** The host as it is now, with the state root {@code root}. */
    static HostSnapshot of(Path root) {
        return new HostSnapshot(files(root), out("ip", "-j", "link"), out("ip", "netns", "list"),
                out("nft", "list", "ruleset").replaceAll("counter packets \\d+ bytes \\d+", "counter"),
                out("iptables-save").lines().filter(l -> !l.startsWith("#")).map(l -> l.replaceAll("\\[\\d+:\\d+\\]", ""))
                        .collect(Collectors.joining("\n")));
    }

    /**
     * What the kernel holds, without the state root's files, and of the links their names only: a link's
     * state can change in the background (a bridge whose last port went loses its carrier).
     */
    HostSnapshot kernel() {
        String names = Json.array(links).stream().map(l -> (String) l.get("ifname")).collect(Collectors.joining(" "));
        return new HostSnapshot(Map.of(), names, namespaces, nftables, iptables);
    }

    /** The parts that differ from {@code other}, for a failure message; empty when there are none. */
    String differencesFrom(HostSnapshot other) {
        StringBuilder out = new StringBuilder();
        if (!files.equals(other.files)) {
            out.append("files: ").append(other.files).append(" -> ").append(files).append('\n');
        }
        List.of(List.of("links", other.links, links), List.of("namespaces", other.namespaces, namespaces),
                List.of("nftables", other.nftables, nftables), List.of("iptables", other.iptables, iptables))
                .stream().filter(part -> !part.get(1).equals(part.get(2)))
                .forEach(part -> out.append(part.get(0)).append(": ").append(part.get(1)).append("\n->\n")
                        .append(part.get(2)).append('\n'));
        return out.toString();
    }

    private static Map<String, String> files(Path root) {
        Map<String, String> files = new TreeMap<>();
        if (!Files.exists(root)) {
            return files;
        }
        try {
            for (Path p : StateFiles.walk(root)) {
                String name = root.relativize(p).toString();
                // where IPAM starts its next search: advanced by any lease, even one given back at once; and the
                // service's lines, which every command through it uses up and makes anew
                if (!name.matches("ipam/[^/]+/last6?") && !name.startsWith("run/service/")) {
                    files.put(name, Files.isDirectory(p) ? "dir" : digest(p));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** A namespace's bind mount cannot be read: it counts by its presence. */
    private static String digest(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            return "unreadable";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String out(String... command) {
        return Shell.run(List.of(command)).ok().out();
    }
}
