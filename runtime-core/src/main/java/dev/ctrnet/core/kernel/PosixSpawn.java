package dev.ctrnet.core.kernel;

import com.sun.jna.Memory;
import com.sun.jna.StringArray;
import com.sun.jna.ptr.IntByReference;
import dev.ctrnet.api.kernel.KernelException;
import java.util.List;

/**
 * One {@code posix_spawn} of the C library, with the file actions its child performs before it execs.
 * The child is a clone of the calling thread: it has that thread's namespaces, root, working folder and
 * capabilities, which a JVM's {@code ProcessBuilder} cannot choose otherwise. It runs nothing of the
 * JVM's: the C library clones it with {@code CLONE_VFORK}, runs the actions and execs, and the call
 * returns once the exec has happened, or with the error of the action or the exec that failed. That
 * makes the return of {@link #spawn} an exact handshake: the program has been exec'd.
 *
 * <p>The child starts with every signal unblocked and at its default action, and keeps only the
 * descriptors the actions give it (the JVM opens its own without close-on-exec): add
 * {@link #closeFrom} after the actions that place descriptors. Use each instance for one spawn.
 */
public final class PosixSpawn {
    private final Memory actions = new Memory(512);
    private final Memory attributes = new Memory(1024);
    private short flags = LibC.POSIX_SPAWN_SETSIGMASK | LibC.POSIX_SPAWN_SETSIGDEF;

    public PosixSpawn() {
        check("init the file actions", LibC.posix_spawn_file_actions_init(actions));
        check("init the attributes", LibC.posix_spawnattr_init(attributes));
    }

    /** The child opens {@code path} as descriptor {@code fd}. */
    public PosixSpawn open(int fd, String path, int openFlags, int mode) {
        check("add an open", LibC.posix_spawn_file_actions_addopen(actions, fd, path, openFlags, mode));
        return this;
    }

    /** The child makes {@code newFd} a copy of {@code fd}, without close-on-exec. */
    public PosixSpawn dup2(int fd, int newFd) {
        check("add a dup2", LibC.posix_spawn_file_actions_adddup2(actions, fd, newFd));
        return this;
    }

    /** The child closes {@code fd}. */
    public PosixSpawn close(int fd) {
        check("add a close", LibC.posix_spawn_file_actions_addclose(actions, fd));
        return this;
    }

    /** The child closes every descriptor from {@code fd} up (C library 2.34 and later). */
    public PosixSpawn closeFrom(int fd) {
        try {
            check("add a closefrom", LibC.optional("posix_spawn_file_actions_addclosefrom_np")
                    .invokeInt(new Object[] {actions, fd}));
        } catch (UnsatisfiedLinkError e) {
            throw new KernelException(0, "starting a container needs the GNU C library 2.34 or later "
                    + "(posix_spawn_file_actions_addclosefrom_np)", e);
        }
        return this;
    }

    /** The child changes to the folder {@code path}, resolved where it is when this action runs. */
    public PosixSpawn chdir(String path) {
        check("add a chdir", LibC.optional("posix_spawn_file_actions_addchdir_np")
                .invokeInt(new Object[] {actions, path}));
        return this;
    }

    /** The child leads a new process group (its PID the group's id: the attribute's default group 0). */
    public PosixSpawn newProcessGroup() {
        flags |= LibC.POSIX_SPAWN_SETPGROUP;
        return this;
    }

    /** The child leads a new session ({@code setsid}). */
    public PosixSpawn newSession() {
        flags |= LibC.POSIX_SPAWN_SETSID;
        return this;
    }

    /**
     * Starts {@code path} with {@code argv} and exactly the environment {@code env} (KEY=VALUE), and returns
     * its PID once it has been exec'd.
     *
     * @throws KernelException with the errno of the action or exec that failed; the child is then reaped
     */
    public long spawn(String path, List<String> argv, List<String> env) {
        Memory noSignals = new Memory(128);
        Memory allSignals = new Memory(128);
        try {
            LibC.sigemptyset(noSignals);
            LibC.sigfillset(allSignals);
            check("set the signal mask", LibC.posix_spawnattr_setsigmask(attributes, noSignals));
            check("set the signal defaults", LibC.posix_spawnattr_setsigdefault(attributes, allSignals));
            check("set the flags", LibC.posix_spawnattr_setflags(attributes, flags));
            IntByReference pid = new IntByReference();
            int error = LibC.posix_spawn(pid, path, actions, attributes,
                    new StringArray(argv.toArray(String[]::new)), new StringArray(env.toArray(String[]::new)));
            if (error != 0) {
                throw new KernelException(error, "cannot start " + path + ": " + Syscalls.reason(error));
            }
            return pid.getValue();
        } finally {
            LibC.posix_spawn_file_actions_destroy(actions);
            LibC.posix_spawnattr_destroy(attributes);
        }
    }

    private static void check(String what, int error) {
        if (error != 0) {
            throw new KernelException(error, "cannot " + what + " of a new process: " + Syscalls.reason(error));
        }
    }
}
