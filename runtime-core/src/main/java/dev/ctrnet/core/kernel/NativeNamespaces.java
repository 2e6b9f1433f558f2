package dev.ctrnet.core.kernel;

import com.sun.jna.LastErrorException;
import dev.ctrnet.api.Names;
import dev.ctrnet.api.kernel.KernelException;
import dev.ctrnet.api.kernel.Namespaces;
import dev.ctrnet.api.kernel.Netlink;
import dev.ctrnet.api.kernel.NetworkNamespace;
import dev.ctrnet.core.CrashPoint;
import dev.ctrnet.core.state.FileModes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link Namespaces} through {@code unshare}, {@code setns} and bind mounts, the way {@code ip netns}
 * does it. Since a namespace switch affects only the calling thread, every switch happens on a new
 * platform thread of its own that ends with the work. Holds one {@link NativeNetlink} per namespace;
 * {@link #close()} releases them.
 */
public final class NativeNamespaces implements Namespaces, AutoCloseable {
    /** By the namespace's path: see {@link #same}. */
    private final Map<Path, NativeNetlink> netlinks = new ConcurrentHashMap<>();
    private final Set<Path> sharedParents = ConcurrentHashMap.newKeySet();

    /**
     * {@inheritDoc} A namespace made ahead ({@link FreshNamespaces}) is taken when one is ready; otherwise one is
     * made now.
     */
    @Override
    public NetworkNamespace create(Path path) {
        NetworkNamespace namespace = new NetworkNamespace(path);
        createNamespaceFile(path);
        try {
            Optional<FreshNamespaces.Fresh> fresh = FreshNamespaces.ofThisProcess().take();
            if (fresh.isPresent()) {
                try (NamespaceFile file = fresh.get().file()) {
                    netlinks.put(path, new NativeNetlink(namespace, fresh.get().netlink(), this::netlink));
                    bindMount(file, path);
                }
            } else {
                // the ip netns add recipe, on a thread of its own that ends with it: nothing else ever runs in the new
                // namespace by accident. A netlink socket belongs to the namespace it is opened in: opened by the
                // thread that makes the namespace, it spares a thread that would enter it again for the first request
                onNewThread("ctrnet-unshare", () -> {
                    unshare(LibC.CLONE_NEWNET, "net");
                    netlinks.put(path, new NativeNetlink(namespace, NetlinkSocket.open(), this::netlink));
                    bindThreadNamespace("net", path);
                    return path;
                });
            }
            CrashPoint.changed();
        } catch (RuntimeException e) {
            NativeNetlink netlink = netlinks.remove(path);
            if (netlink != null) {
                netlink.close();
            }
            unmountAndRemove(path);
            throw e;
        }
        return namespace;
    }

    /**
     * Says that the caller makes no links for a while (a container's are made): a good moment to make the network
     * namespaces taken meanwhile again ({@link FreshNamespaces#refill}).
     */
    public void linksMade() {
        FreshNamespaces.ofThisProcess().refill();
    }

    /**
     * Creates a UTS namespace (host name) kept alive by a bind mount at {@code path}, for a container's
     * process to join later ({@code nsenter --uts=path}). Remove it with {@link #unmountAndRemove}.
     *
     * @throws KernelException when the path exists already or the kernel refuses
     */
    public Path createUts(Path path, String hostname) {
        return startUts(path, hostname).join();
    }

    /**
     * {@link #createUts} on the thread that makes UTS namespaces ({@link UtsNamespaceThread}), handed over now, so
     * that the caller can do other work meanwhile; its {@link KernelThread#join} returns the path, or throws the
     * failure, with nothing left at {@code path}.
     *
     * @throws IllegalArgumentException at once, when {@code hostname} is not one
     */
    public KernelThread<Path> startUts(Path path, String hostname) {
        byte[] name = Names.requireHostname(hostname).getBytes(StandardCharsets.UTF_8);
        return UtsNamespaceThread.ofThisProcess().submit(() -> {
            createNamespaceFile(path);
            try {
                unshare(LibC.CLONE_NEWUTS, "uts");
                Syscalls.call("set the host name to " + hostname, () -> LibC.sethostname(name, name.length));
                bindThreadNamespace("uts", path);
                CrashPoint.changed();
            } catch (RuntimeException e) {
                unmountAndRemove(path);
                throw e;
            }
            return path;
        });
    }

    @Override
    public NetworkNamespace open(Path path) {
        try (NamespaceFile file = NamespaceFile.open(path)) {
            return new NetworkNamespace(path);
        }
    }

    @Override
    public void delete(NetworkNamespace namespace) {
        if (isHost(namespace)) {
            throw new IllegalArgumentException("the host namespace cannot be deleted");
        }
        // An open netlink socket keeps the namespace, and the veth ends inside it, alive.
        NativeNetlink netlink = netlinks.remove(namespace.path());
        if (netlink != null) {
            netlink.close();
        }
        unmountAndRemove(namespace.path());
    }

    /**
     * Detaches the bind mount at {@code path} and removes the file: the namespace it kept goes away with
     * its last user. A path already gone is not an error.
     */
    public void unmountAndRemove(Path path) {
        try {
            LibC.umount2(path.toString(), LibC.MNT_DETACH);
        } catch (LastErrorException e) {
            // EINVAL: not a mount point (any more); ENOENT: no file. Both leave nothing to unmount.
            if (e.getErrorCode() != LibC.EINVAL && e.getErrorCode() != LibC.ENOENT) {
                throw Syscalls.failure("unmount the namespace at " + path, e.getErrorCode(), e);
            }
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new KernelException(0, "cannot remove the namespace file " + path + ": " + e.getMessage(), e);
        }
        CrashPoint.changed();
    }

    @Override
    public <T> T runIn(NetworkNamespace namespace, Callable<T> work) {
        return onNewThread("ctrnet-netns", () -> {
            try (NamespaceFile target = NamespaceFile.open(namespace.path());
                    NamespaceFile origin = openThreadNetwork()) {
                target.enter();
                try {
                    return work.call();
                } finally {
                    origin.enter();
                }
            }
        });
    }

    @Override
    public NativeNetlink netlink(NetworkNamespace namespace) {
        return netlinks.computeIfAbsent(namespace.path(), path -> new NativeNetlink(namespace,
                isHost(namespace) ? NetlinkSocket.open() : runIn(namespace, NetlinkSocket::open), this::netlink));
    }

    /**
     * Whether two namespaces are named by the same file, which is what their records' {@code equals}
     * says too. The paths are compared instead because a record's {@code equals} and {@code hashCode}
     * are generated through {@code invokedynamic} on first use, about 10 ms in a cold JVM, which every
     * CLI command would pay.
     */
    static boolean same(NetworkNamespace a, NetworkNamespace b) {
        return a.path().equals(b.path());
    }

    /** {@link NetworkNamespace#isHost()}, by {@link #same}. */
    static boolean isHost(NetworkNamespace namespace) {
        return same(namespace, NetworkNamespace.host());
    }

    /** Closes every netlink socket this object opened. */
    @Override
    public void close() {
        netlinks.values().forEach(NativeNetlink::close);
        netlinks.clear();
    }

    /**
     * The empty file a namespace is bound to: exclusive, in a folder whose mounts are shared (see
     * {@link #makeParentShared}).
     *
     * @throws KernelException EEXIST when the path exists already
     */
    private void createNamespaceFile(Path path) {
        makeParentShared(path.toAbsolutePath().getParent());
        try {
            FileModes.createPrivateFile(path);
        } catch (FileAlreadyExistsException e) {
            throw new KernelException(KernelException.EEXIST, "a namespace already exists at " + path, e);
        } catch (IOException e) {
            throw new KernelException(0, "cannot create the namespace file " + path + ": " + e.getMessage(), e);
        }
    }

    /** {@code mount --bind} of the calling thread's namespace of {@code kind} onto {@code path}. */
    private static void bindThreadNamespace(String kind, Path path) {
        bindMount("/proc/self/task/" + LibC.gettid() + "/ns/" + kind, path);
    }

    /** {@code unshare(cloneFlag)}: the calling thread leaves its namespace of that kind for a new one. */
    static void unshare(int cloneFlag, String kind) {
        Syscalls.call("create a " + kind + " namespace", () -> LibC.unshare(cloneFlag));
    }

    /** The calling thread's network namespace, opened ({@code /proc/thread-self/ns/net}). */
    static NamespaceFile openThreadNetwork() {
        return openThreadNamespace(LibC.CLONE_NEWNET);
    }

    /** The calling thread's namespace of {@code type} ({@code CLONE_NEWNET}, {@code CLONE_NEWUTS}), opened. */
    static NamespaceFile openThreadNamespace(int type) {
        String kind = type == LibC.CLONE_NEWUTS ? "uts" : "net";
        return NamespaceFile.open(Path.of("/proc/thread-self/ns/" + kind), type);
    }

    /** {@code mount --bind} of an open namespace file onto {@code path}: it stays alive while bound. */
    static void bindMount(NamespaceFile file, Path path) {
        bindMount("/proc/self/fd/" + file.fd(), path);
    }

    private static void bindMount(String source, Path path) {
        Syscalls.call("bind the new namespace to " + path,
                () -> LibC.mount(source, path.toString(), "none", LibC.MS_BIND, null));
    }

    /**
     * Makes the folder of namespace files a shared mount point, once, so that the bind mounts in it
     * propagate to mount namespaces made later (a container's) and are unmounted everywhere at once.
     */
    private void makeParentShared(Path parent) {
        if (sharedParents.contains(parent)) {
            return;
        }
        try {
            FileModes.createFolders(parent);
        } catch (IOException e) {
            throw new KernelException(0, "cannot create the folder " + parent + ": " + e.getMessage(), e);
        }
        String target = parent.toString();
        try {
            LibC.mount("none", target, null, LibC.MS_SHARED | LibC.MS_REC, null);
        } catch (LastErrorException notAMountPoint) {
            Syscalls.call("make " + parent + " a mount point",
                    () -> LibC.mount(target, target, "none", LibC.MS_BIND | LibC.MS_REC, null));
            Syscalls.call("share the mounts under " + parent,
                    () -> LibC.mount("none", target, null, LibC.MS_SHARED | LibC.MS_REC, null));
        }
        sharedParents.add(parent);
    }

    /**
     * Runs {@code work} on a new platform thread and waits for it; the work's own exception comes out
     * unchanged.
     */
    private static <T> T onNewThread(String name, Callable<T> work) {
        return KernelThread.start(name, work).join();
    }
}
