package dev.ctrnet.cli;

import dev.ctrnet.core.RuntimeConfig;
import dev.ctrnet.core.container.ProcessTable;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the ctrnet service of a state root takes commands, and what a client must share with it to be
 * served. The client reads this on every command, so it loads nothing but JDK classes,
 * {@link RuntimeConfig}'s rule for a root's runtime folder and {@link ProcessTable}'s reading of
 * {@code /proc}.
 *
 * <p>The service folder ({@code RUN/service}, mode 0700: root only) holds a link, {@code current}, to
 * the folder of the service now serving, named after that process ({@code instance.PID.START}, its pid
 * and its start time in clock ticks, so that a client tells a dead service from a live one even when
 * the pid has been reused). There the service keeps {@link ServiceLine}s ready: pairs of named pipes a
 * client claims one at a time.
 */
final class ServiceEndpoint {
    private static final String CURRENT = "current";
    private static final String INSTANCE = "instance.";
    private static final String BUILD = " build:";

    private ServiceEndpoint() {}

    /**
     * The service's folder for state root {@code root} (absolute and normalized): beside its namespace
     * mounts, root only.
     */
    static Path folder(Path root) {
        return RuntimeConfig.runDirOf(root).resolve("service");
    }

    /** The link to the folder of the service now serving {@code root}. */
    static Path current(Path root) {
        return folder(root).resolve(CURRENT);
    }

    /** The name of the folder of the service that is process {@code pid}, started at {@code startTime}. */
    static String instanceName(long pid, long startTime) {
        return INSTANCE + pid + "." + startTime;
    }

    /** The folder of the service serving {@code root}, if one runs. */
    static Optional<Path> liveInstance(Path root) {
        Path link = current(root);
        String name;
        try {
            name = Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return Optional.empty();
        }
        return isLive(name) ? Optional.of(link.resolveSibling(name)) : Optional.empty();
    }

    /** Whether {@code name}, an instance folder's name, is that of a process that still runs. */
    static boolean isLive(String name) {
        if (!name.startsWith(INSTANCE)) {
            return false;
        }
        String[] parts = name.substring(INSTANCE.length()).split("\\.");
        if (parts.length != 2) {
            return false;
        }
        try {
            return ProcessTable.isAlive(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * What a client must share with the service to be served by it: the network and mount namespaces
     * (the service changes the kernel and files it sees) and the build (a rebuilt ctrnet gets a new service).
     */
    static String identity() {
        return namespaces("self") + BUILD + build();
    }

    /**
     * Whether process {@code pid} is in the namespaces {@code identity}, a service's {@link #identity()}, names: how a
     * service checks a request {@code bin/ctrnet} sent, whose shell cannot read its own.
     */
    static boolean inNamespacesOf(String identity, long pid) {
        return identity.startsWith(namespaces(Long.toString(pid)) + BUILD);
    }

    /** The network and mount namespaces of {@code process} ({@code self} or a pid). */
    private static String namespaces(String process) {
        return namespace(process, "net") + " " + namespace(process, "mnt");
    }

    /**
     * Whether {@code client}'s {@link #identity()} is that of a newer build than {@code service}'s, in the same
     * namespaces: ctrnet rebuilt or upgraded in place, whose commands the service of the older build should leave
     * to a service of their own.
     */
    static boolean isNewerBuild(String client, String service) {
        int c = client.lastIndexOf(BUILD);
        int s = service.lastIndexOf(BUILD);
        if (c < 0 || s < 0 || !client.substring(0, c).equals(service.substring(0, s))) {
            return false;
        }
        try {
            return Long.parseLong(client.substring(c + BUILD.length())) > Long.parseLong(service.substring(s + BUILD.length()));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String namespace(String process, String kind) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/" + process + "/ns/" + kind)).toString();
        } catch (IOException e) {
            return kind + ":?";
        }
    }

    /**
     * When the jar this runs from was built: a rebuilt ctrnet is served by a new service. Read as a file's date,
     * without the URL and URI of a code source, which cost the client a millisecond of interpreted parsing.
     */
    private static String build() {
        Optional<File> jar = jar();
        long modified = jar.isPresent() ? jar.get().lastModified() : 0; // no lambda: the client reads this
        return modified > 0 ? Long.toString(modified) : "?";
    }

    /**
     * The jar this runs from. The class path names the jar alone, for the client ({@code java -jar}) and the service
     * it starts ({@code -cp}) alike; any other class path (tests, the build's training) has no jar, and no build to
     * tell.
     */
    static Optional<File> jar() {
        File jar = new File(System.getProperty("java.class.path", ""));
        return jar.isFile() ? Optional.of(jar) : Optional.empty();
    }
}
