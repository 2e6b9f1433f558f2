package dev.ctrnet.core.undo;

import dev.ctrnet.api.kernel.Kernel;
import dev.ctrnet.api.kernel.KernelException;
import dev.ctrnet.api.kernel.Namespaces;
import dev.ctrnet.api.kernel.NetworkNamespace;
import dev.ctrnet.api.kernel.Netlink;
import dev.ctrnet.api.kernel.Sysctl;
import dev.ctrnet.api.kernel.SysctlKey;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link Kernel} handed to drivers: every change goes through the real primitives, after its
 * undo has been recorded in a {@link Rollback} (and so in the operation's {@link Journal}). Changes to what
 * the operation made itself (a namespace and everything in it, a link) need no undo of their own: the undo
 * of the making takes them along.
 */
public final class RecordingKernel implements Kernel {
    private final Kernel real;
    private final Rollback rollback;
    private final Namespaces namespaces;
    private final Sysctl sysctl;
    /**
     * Namespaces this kernel made: the undo of their making deletes them with everything in them, so
     * what changes inside them needs no undo of its own (nor the read of the old state that one takes).
     */
    private final Set<Path> made = ConcurrentHashMap.newKeySet();
    /**
     * Links this kernel made ({@link #linkKey}), both ends of a veth: the undo of their making deletes them, so
     * a change of their state, master or port flags needs no undo of its own either.
     */
    private final Set<String> madeLinks = ConcurrentHashMap.newKeySet();
    /**
     * Links this kernel put on a bridge: a port's flags go when it leaves the bridge, which the undo of
     * {@link KernelChange.MasterSet} does, so setting them needs no undo of its own.
     */
    private final Set<String> joinedLinks = ConcurrentHashMap.newKeySet();

    /** Records into {@code rollback} what is done through {@code real}. */
    public RecordingKernel(Kernel real, Rollback rollback) {
        this.real = real;
        this.rollback = rollback;
        this.namespaces = new RecordingNamespaces();
        this.sysctl = new RecordingSysctl();
    }

    @Override
    public Namespaces namespaces() {
        return namespaces;
    }

    @Override
    public Sysctl sysctl() {
        return sysctl;
    }

    /** Records {@code change}, to be made now. */
    void record(KernelChange change) {
        rollback.record(change);
    }

    /** Forgets the last change recorded: the kernel refused it as made by another. */
    void forgetLast() {
        rollback.forgetLast();
    }

    /** The real sysctls, to read a value before it changes. */
    Sysctl realSysctl() {
        return real.sysctl();
    }

    /** Notes that this kernel made link {@code name} in {@code namespace}. */
    void made(NetworkNamespace namespace, String name) {
        madeLinks.add(linkKey(namespace, name));
    }

    /** Whether this kernel made link {@code name} in {@code namespace} (or the namespace it is in). */
    boolean isMade(NetworkNamespace namespace, String name) {
        return made.contains(namespace.path()) || madeLinks.contains(linkKey(namespace, name));
    }

    /** Notes that this kernel put link {@code name} in {@code namespace} on a bridge. */
    void joined(NetworkNamespace namespace, String name) {
        joinedLinks.add(linkKey(namespace, name));
    }

    /** Whether this kernel made link {@code name} or put it on its bridge: its port flags then need no undo. */
    boolean isMadeOrJoined(NetworkNamespace namespace, String name) {
        return isMade(namespace, name) || joinedLinks.contains(linkKey(namespace, name));
    }

    /** A link's key in the sets above: by paths and names, not records, whose equals costs a cold JVM dearly. */
    private static String linkKey(NetworkNamespace namespace, String name) {
        return namespace.path() + "\0" + name;
    }

    private final class RecordingNamespaces implements Namespaces {
        @Override
        public NetworkNamespace create(Path path) {
            rollback.record(new KernelChange.NamespaceCreated(new NetworkNamespace(path)));
            try {
                NetworkNamespace namespace = real.namespaces().create(path);
                made.add(path);
                return namespace;
            } catch (KernelException e) {
                if (e.errno() == KernelException.EEXIST) {
                    rollback.forgetLast(); // someone else's namespace: not ours to delete
                }
                throw e;
            }
        }

        @Override
        public NetworkNamespace open(Path path) {
            return real.namespaces().open(path);
        }

        @Override
        public void delete(NetworkNamespace namespace) {
            real.namespaces().delete(namespace);
        }

        @Override
        public <T> T runIn(NetworkNamespace namespace, Callable<T> work) {
            return real.namespaces().runIn(namespace, work);
        }

        @Override
        public Netlink netlink(NetworkNamespace namespace) {
            Netlink netlink = real.namespaces().netlink(namespace);
            return made.contains(namespace.path()) ? netlink : new RecordingNetlink(netlink, RecordingKernel.this);
        }
    }

    private final class RecordingSysctl implements Sysctl {
        @Override
        public String read(NetworkNamespace namespace, SysctlKey key) {
            return real.sysctl().read(namespace, key);
        }

        @Override
        public void write(NetworkNamespace namespace, SysctlKey key, String value) {
            String old = real.sysctl().read(namespace, key);
            if (old.equals(value)) {
                return;
            }
            rollback.record(new KernelChange.SysctlWritten(namespace, key, old));
            real.sysctl().write(namespace, key, value);
        }
    }
}
