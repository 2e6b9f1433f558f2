package dev.ctrnet.core.plugin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The rule for plugin jars and every folder above them: plugins run with the runtime's privileges
 * (root), so whoever can change a plugin, or a folder on the way to it, can run code as root. Each
 * must therefore belong to root (or to the user running ctrnet, who gains nothing) and be writable by
 * neither its group nor others. A sticky folder writable by everyone ({@code /tmp}) is refused too:
 * its sticky bit keeps others from renaming what is in it, but whoever got there first owns the name,
 * and ctrnet trusts only folders that no one else can write.
 */
final class RootOnlyWritable {
    private static final int OTHERS_WRITE = 0002;
    private static final int GROUP_WRITE = 0020;
    private static final int STICKY = 01000;

    private RootOnlyWritable() {}

    /**
     * Checks the open {@code file} (its owner and mode as opened, not as its path says now).
     *
     * @param what what it is, for the sentence: "jar", "folder", "folder /x on its path"
     * @throws PluginRejected saying who else could write it and how to fix it
     */
    static void check(OpenFile file, String what) throws PluginRejected {
        int mode = file.permissions();
        String shown = symbolic(mode);
        if ((mode & OTHERS_WRITE) != 0 && (mode & STICKY) != 0) {
            throw new PluginRejected("the " + what + " is writable by every user (" + shown + "), and plugins run as"
                    + " root; its sticky bit is not enough, since ctrnet trusts only folders no one else can write:"
                    + " keep plugins under folders only root can write, such as /var/lib/ctrnet/plugins");
        }
        if ((mode & OTHERS_WRITE) != 0) {
            throw new PluginRejected("the " + what + " is writable by every user (" + shown
                    + ") and plugins run as root: chmod go-w it");
        }
        if ((mode & GROUP_WRITE) != 0) {
            throw new PluginRejected("the " + what + " is writable by its group (" + shown
                    + ") and plugins run as root: chmod go-w it");
        }
        int owner = file.owner();
        if (owner != 0 && owner != currentUser()) {
            throw new PluginRejected("the " + what + " belongs to uid " + owner
                    + ", who could change it, and plugins run as root: chown root it");
        }
    }

    /** {@code mode} as {@code ls} shows it: {@code rwxr-xr-x}, with {@code s} and {@code t} for the special bits. */
    static String symbolic(int mode) {
        StringBuilder s = new StringBuilder();
        String[] special = {"sS", "sS", "tT"};
        for (int who = 0; who < 3; who++) {
            int bits = (mode >> (6 - 3 * who)) & 7;
            boolean specialBit = (mode & (04000 >> who)) != 0;
            s.append((bits & 4) != 0 ? 'r' : '-').append((bits & 2) != 0 ? 'w' : '-');
            char execute = (bits & 1) != 0 ? 'x' : '-';
            if (specialBit) {
                execute = special[who].charAt(execute == 'x' ? 0 : 1);
            }
            s.append(execute);
        }
        return s.toString();
    }

    private static int currentUser() throws PluginRejected {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException e) {
            throw new PluginRejected("which user runs ctrnet cannot be read (" + e.getMessage() + ")", e);
        }
    }
}
