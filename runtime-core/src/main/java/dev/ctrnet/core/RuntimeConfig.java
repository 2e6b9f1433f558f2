package dev.ctrnet.core;

import java.nio.file.Files;
import dev.ctrnet.api.Names;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a runtime keeps its state and what it uses.
 *
 * @param root the state root (networks, leases, containers)
 * @param runDir the runtime folder (namespace mounts); two roots never share one
 * @param nat {@code auto}, {@code nftables}, {@code iptables} or a plugin backend's name (see
 *     {@link Names#requireDriverName})
 * @param pluginDir extra jars with drivers and backends
 * @param launcher the command that runs the ctrnet CLI, used to remove {@code run -d --rm} containers
 *     when they end; empty for embedded use
 */
public record RuntimeConfig(Path root, Path runDir, String nat, Optional<Path> pluginDir, Optional<String> launcher) {
    /** The default state root. */
    public static final Path DEFAULT_ROOT = Path.of("/var/lib/ctrnet");
    /** {@link #scope()} by state root. */
    private static final Map<Path, String> SCOPES = new ConcurrentHashMap<>();

    public RuntimeConfig {
        root = requireFolderName(root, "the state root (--root)").toAbsolutePath().normalize();
        runDir = requireFolderName(runDir, "the runtime folder").toAbsolutePath().normalize();
        if (!nat.equals("auto")) {
            Names.requireDriverName(nat, "NAT backend");
        }
        pluginDir.ifPresent(dir -> requireFolderName(dir, "the plugin folder (--plugin-dir)"));
        Objects.requireNonNull(launcher, "launcher");
    }

    /**
     * A short name for this state root, for the kernel objects whose names are host-wide (the default
     * bridge, the firewall's table): empty for the default root, six hex digits of the root's path
     * otherwise, so that two roots never share them.
     */
    public String scope() {
        return scopeOf(root);
    }

    private static String scopeOf(Path root) {
        // asked several times per command (names, rules): the digest is made once per root
        return SCOPES.computeIfAbsent(root, RuntimeConfig::digestOf);
    }

    private static String digestOf(Path root) {
        if (root.equals(DEFAULT_ROOT)) {
            return "";
        }
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(root.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest, 0, 3);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /**
     * The configuration for state root {@code root}: the default root keeps its runtime files in
     * {@code /run/ctrnet}, any other root in {@code ROOT/run} when that folder is the root's own, and
     * otherwise in a folder of its own inside it: see {@link #runDirOf}.
     */
    public static RuntimeConfig forRoot(Path root, String nat, Optional<Path> pluginDir, Optional<String> launcher) {
        Path abs = requireFolderName(root, "the state root (--root)").toAbsolutePath().normalize();
        return new RuntimeConfig(abs, runDirOf(abs), nat, pluginDir, launcher);
    }

    /**
     * Where a state root keeps its namespace mounts: the default root in {@code /run/ctrnet}, another in
     * {@code ROOT/run}, unless that folder leads out of the root and is shared with others: for
     * {@code --root /var}, {@code /var/run} is the system's {@code /run}, whose {@code netns} folder is
     * {@code ip netns}'s, and {@code system prune} removes what it finds in the runtime folder and its
     * records do not name. So then the runtime folder is {@code ROOT/run/ctrnet-SCOPE},
     * which no one else uses and no other root shares.
     *
     * @param root an absolute, normalized state root
     */
    public static Path runDirOf(Path root) {
        if (root.equals(DEFAULT_ROOT)) {
            return Path.of("/run/ctrnet");
        }
        Path run = root.resolve("run");
        // a "run" that is no link is inside the root, wherever the root's own path leads: one lstat, which the
        // thin client pays on every command, decides it
        return Files.isSymbolicLink(run) ? run.resolve("ctrnet-" + scopeOf(root)) : run;
    }

    /** An empty path would silently mean the working folder: state would land wherever ctrnet was started. */
    private static Path requireFolderName(Path folder, String what) {
        if (folder.toString().isEmpty()) {
            throw new IllegalArgumentException(what + " is empty: name a folder");
        }
        return folder;
    }
}
