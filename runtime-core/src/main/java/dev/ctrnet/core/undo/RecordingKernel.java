package dev.ctrnet.core.undo;

import dev.ctrnet.api.kernel.Kernel;
import dev.ctrnet.api.kernel.KernelException;
import dev.ctrnet.api.kernel.Namespaces;
import dev.ctrnet.api.kernel.NetworkNamespace;
import dev.ctrnet.api.kernel.Netlink;
import dev.ctrnet.api.kernel.Sysctl;
import dev.ctrnet.api.kernel.SysctlKey;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * The {@link Kernel} handed to drivers: every change goes through the real primitives, after its
 * undo has been recorded in a {@link Rollback}.
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
    private final java.util.Set<Path> made = java.util.concurrent.ConcurrentHashMap.newKeySet();

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
            return made.contains(namespace.path()) ? netlink : new RecordingNetlink(netlink, rollback);
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
