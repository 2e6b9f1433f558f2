package dev.ctrnet.cli;

import dev.ctrnet.core.RuntimeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the ctrnet service of a state root listens, and what a client must share with it to be
 * served. The client reads this on every command, so it loads nothing but JDK classes and
 * {@link RuntimeConfig}'s rule for a root's runtime folder.
 */
final class ServiceEndpoint {
    private ServiceEndpoint() {}

    /**
     * The service's folder for state root {@code root} (absolute and normalized): beside its namespace
     * mounts, root only.
     */
    static Path folder(Path root) {
        return RuntimeConfig.runDirOf(root).resolve("service");
    }

    /** The socket of the service of {@code root}. */
    static Path socket(Path root) {
        return folder(root).resolve("service.sock");
    }

    /**
     * What a client must share with the service to be served by it: the network and mount namespaces
     * (the service changes the kernel and files it sees) and the build (a rebuilt ctrnet gets a new service).
     */
    static String identity() {
        return namespace("net") + " " + namespace("mnt") + " build:" + build();
    }

    private static String namespace(String kind) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/ns/" + kind)).toString();
        } catch (IOException e) {
            return kind + ":?";
        }
    }

    /** When the jar this runs from was built: a rebuilt ctrnet is served by a new service. */
    private static String build() {
        try {
            Path jar = Path.of(ServiceEndpoint.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Long.toString(Files.getLastModifiedTime(jar).toMillis());
        } catch (Exception e) {
            return "?";
        }
    }
}
