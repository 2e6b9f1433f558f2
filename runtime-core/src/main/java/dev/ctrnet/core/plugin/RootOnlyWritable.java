package dev.ctrnet.core.plugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The rule for plugin folders and jars: plugins run with the runtime's privileges (root), so whoever
 * can change a plugin can run code as root. A plugin file must therefore belong to root (or to the
 * user running ctrnet, who gains nothing) and be writable by neither its group nor others.
 */
final class RootOnlyWritable {
    private RootOnlyWritable() {}

    /**
     * Checks {@code path} (links followed, since the target is what gets loaded).
     *
     * @param what "folder" or "jar", for the sentence
     * @throws PluginRejected saying who else could write it and how to fix it
     */
    static void check(Path path, String what) throws PluginRejected {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path);
            int owner = (Integer) Files.getAttribute(path, "unix:uid");
            String octal = PosixFilePermissions.toString(mode);
            if (mode.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new PluginRejected("the " + what + " is writable by every user (" + octal
                        + ") and plugins run as root: chmod go-w it");
            }
            if (mode.contains(PosixFilePermission.GROUP_WRITE)) {
                throw new PluginRejected("the " + what + " is writable by its group (" + octal
                        + ") and plugins run as root: chmod go-w it");
            }
            if (owner != 0 && owner != currentUser()) {
                throw new PluginRejected("the " + what + " belongs to uid " + owner
                        + ", who could change it, and plugins run as root: chown root it");
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw new PluginRejected("the " + what + "'s owner and mode cannot be read (" + e.getMessage() + ")", e);
        }
    }

    private static int currentUser() throws IOException {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }
}
