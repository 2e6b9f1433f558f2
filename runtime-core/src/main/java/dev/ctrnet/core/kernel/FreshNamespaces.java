package dev.ctrnet.core.kernel;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Network namespaces made ahead of need, so that a container's creation does not wait for the kernel to make
 * one (about half a millisecond, and much more while it tears others down): each is new, has its loopback up
 * and comes with a netlink socket opened inside it. {@link NativeNamespaces#create} takes one and binds it to
 * the container's path; when none is ready, it makes one itself, as before.
 *
 * <p>They are held only as open descriptors of this process (close-on-exec, so no child inherits one), never
 * bind-mounted before they are taken: nothing about them is on disk for {@code system prune} to know, and a
 * process that ends, even by kill -9, leaves none behind, as the kernel frees them with its descriptors.
 *
 * <p>Made by use: until a process has asked for its second namespace it keeps none ready, so a one-shot command
 * ({@code --no-daemon run}) makes no namespace it does not use. From then on (the service, an embedding program
 * that creates containers) {@link #READY} are kept ready by a platform thread of their own, off the caller's path.
 *
 * <p>Refilled when asked to ({@link #refill}), not at each take: making a namespace takes the kernel's link lock
 * (RTNL) as every link change does, so one made while the caller's driver makes the container's links delays
 * them (by 0.5–2 ms a container, measured with containers made one after another). The caller asks once its links
 * are made, and the making then overlaps its files and rules.
 */
final class FreshNamespaces {
    private static final Logger LOG = LoggerFactory.getLogger(FreshNamespaces.class);
    /** How many are kept ready: a container is created in a few milliseconds, one is made in under one. */
    static final int READY = 2;
    /** The ask that starts the making: the first one may be a one-shot command's only one. */
    static final int ASKS_BEFORE_MAKING = 2;

    private static final FreshNamespaces OF_THIS_PROCESS = new FreshNamespaces(READY, ASKS_BEFORE_MAKING);

    private final int capacity;
    private final int asksBeforeMaking;
    private final Deque<Fresh> ready = new ArrayDeque<>();
    private int asks;
    private boolean making;
    /** Whether the maker may fill up to {@link #capacity}: until it has, since the last {@link #refill}. */
    private boolean due = true;

    /** A namespace made ahead: its open file, and a netlink socket opened inside it. */
    record Fresh(NamespaceFile file, NetlinkSocket netlink) implements AutoCloseable {
        @Override
        public void close() {
            file.close();
            netlink.close();
        }
    }

    FreshNamespaces(int capacity, int asksBeforeMaking) {
        this.capacity = capacity;
        this.asksBeforeMaking = asksBeforeMaking;
    }

    /** The ones of this process, which every {@link NativeNamespaces} shares. */
    static FreshNamespaces ofThisProcess() {
        return OF_THIS_PROCESS;
    }

    /**
     * A namespace made ahead, if one is ready; the caller owns its descriptors from then on. Counts as an ask,
     * which starts the making once there were enough of them.
     */
    synchronized Optional<Fresh> take() {
        asks++;
        if (!making && asks >= asksBeforeMaking) {
            making = true;
            KernelThread.start("ctrnet-fresh-netns", () -> {
                makeWhileAsked();
                return null;
            });
        }
        return Optional.ofNullable(ready.poll());
    }

    /** Lets the maker fill up again, now: the caller makes no links for a while. */
    synchronized void refill() {
        due = true;
        notifyAll();
    }

    /** How many are ready now. */
    synchronized int readyCount() {
        return ready.size();
    }

    /**
     * The maker's loop: a new namespace whenever fewer than {@link #capacity} are ready and a refill is due. It
     * waits in Java, never in a native call, so that it does not hold up the JVM's exit. A failure ends it (and with
     * it the making): the callers then make their namespaces themselves, and meet the failure there, in a sentence.
     */
    private void makeWhileAsked() {
        try (NamespaceFile home = NativeNamespaces.openThreadNetwork()) {
            while (true) {
                synchronized (this) {
                    while (ready.size() >= capacity || !due) {
                        wait();
                    }
                }
                Fresh fresh = makeOne(home);
                synchronized (this) {
                    ready.add(fresh);
                    due = ready.size() < capacity;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.debug("no more network namespaces are made ahead: {}", e.getMessage());
        }
    }

    /**
     * {@code unshare(CLONE_NEWNET)} on this thread, the new namespace opened with its loopback up, and back
     * {@code home} ({@code setns}): the thread never stays in a namespace it made, which would keep that alive
     * after its container is gone.
     */
    private static Fresh makeOne(NamespaceFile home) {
        NativeNamespaces.unshare(LibC.CLONE_NEWNET, "net");
        Fresh fresh;
        try {
            fresh = openInside();
        } catch (RuntimeException e) {
            home.enter();
            throw e;
        }
        try {
            home.enter();
        } catch (RuntimeException e) {
            fresh.close();
            throw e;
        }
        return fresh;
    }

    /** The calling thread's namespace, opened, and its loopback brought up through a socket opened in it. */
    private static Fresh openInside() {
        NamespaceFile made = NativeNamespaces.openThreadNetwork();
        try {
            NetlinkSocket netlink = NetlinkSocket.open();
            try {
                netlink.execute(LinkMessages.setUp("lo", true));
            } catch (RuntimeException e) {
                netlink.close();
                throw e;
            }
            return new Fresh(made, netlink);
        } catch (RuntimeException e) {
            made.close();
            throw e;
        }
    }
}
