package dev.ctrnet.core.container;

import dev.ctrnet.api.kernel.KernelException;
import dev.ctrnet.core.CtrnetException;
import dev.ctrnet.core.kernel.KernelCalls;
import dev.ctrnet.core.kernel.KernelThread;
import dev.ctrnet.core.kernel.PosixSpawn;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One start of a container's first process as a child of this JVM, with no helper process but the one
 * the kernel requires. Two dedicated platform threads do it, and are discarded after, since their
 * namespaces and file-system view are changed for good:
 * <ol>
 *   <li>The <em>preparing</em> thread takes an fs of its own ({@code unshare(CLONE_FS)}), enters the
 *       container's network and UTS namespaces, makes new mount, IPC and PID namespaces (the last for its
 *       children), makes every mount private, and mounts what needs no new PID namespace: the container's
 *       {@code /etc} files, or for a root file system a bind of it that follows no symbolic link, a fresh
 *       {@code /dev} with its devices and {@code /dev/shm}, and the {@code /etc} files staged there. It then
 *       confines itself as the command will be (bounding set cut to the container's capabilities, nothing
 *       inheritable, {@code no_new_privs}) and calls {@code posix_spawn}: the child, PID 1 of the new PID
 *       namespace, opens the {@code ready} pipe, then waits in the open of the {@code go} pipe, and once
 *       released execs the command, with exactly the container's environment, in the folder {@code /}.
 *   <li>The <em>finishing</em> thread, once the child has opened {@code ready}, joins the preparing
 *       thread's mount namespace and the new PID namespace and starts the one init step: busybox's
 *       {@code mount}, which mounts {@code /proc} as a member of the container's PID namespace (the kernel
 *       ties a proc mount to its mounter's). With a root file system it then makes the root follow links
 *       again, {@code pivot_root}s into it (which moves the waiting child's root too), detaches the host's,
 *       binds the {@code /etc} files where the container's links lead, and releases the child.
 * </ol>
 * The {@code posix_spawn} call returns once the command has been exec'd, or with the exec's error: the
 * handshake {@code run -d} waits for.
 */
final class ThreadLaunch {
    /** The device nodes of a root file system's {@code /dev}, as Docker makes them. */
    static final List<Device> DEVICES = List.of(new Device("null", 1, 3), new Device("zero", 1, 5),
            new Device("full", 1, 7), new Device("random", 1, 8), new Device("urandom", 1, 9), new Device("tty", 5, 0));
    private static final List<String> ETC_FILES = List.of("hosts", "hostname", "resolv.conf");
    private static final String STAGED_ETC = "/dev/.ctrnet-etc";
    /** Where a root file system's {@code /dev} holds the host's busybox while the root is switched. */
    private static final String STAGED_BUSYBOX = "/dev/.ctrnet-busybox";

    private final ContainerRecord container;
    private final Path containerDir;
    private final Path runDir;
    private final String busybox;
    private final Path ready;
    private final Path go;
    private volatile int preparingThread;
    /** Set when the preparing thread has returned and the finishing one still waits: it is to give up. */
    private volatile boolean abandoned;
    /** Set once the finishing thread has let the child go on to its exec. */
    private volatile boolean released;

    ThreadLaunch(ContainerRecord container, Path containerDir, Path runDir, String busybox) {
        this.container = container;
        this.containerDir = containerDir;
        this.runDir = runDir;
        this.busybox = busybox;
        this.ready = containerDir.resolve("launch-ready");
        this.go = containerDir.resolve("launch-go");
    }

    /**
     * Starts {@code program} (the command's path as the container sees it) with the container's command
     * line and environment, attached to {@code stdio}; returns once it has been exec'd.
     *
     * @param grouping the session and process group it is in
     * @throws CommandNotStarted when the exec fails
     */
    ContainerProcess start(String program, Map<String, String> environment, Stdio stdio,
            ContainerLauncher.Grouping grouping) {
        for (Path fifo : List.of(ready, go)) {
            deleteIfExists(fifo);
            KernelCalls.mkfifo(fifo, 0600);
        }
        Streams streams = new Streams();
        try {
            PosixSpawn spawn = new PosixSpawn();
            streams.attach(spawn, stdio);
            // The pipes are opened from the container's folder, by name: the root may be switched between
            // the two opens, and a path from the old root would then lead nowhere. "/" (the container's
            // root by then) once released.
            spawn.closeFrom(3)
                    .chdir(containerDir.toString())
                    .open(3, ready.getFileName().toString(), KernelCalls.O_WRONLY, 0).close(3)
                    .open(3, go.getFileName().toString(), KernelCalls.O_RDONLY, 0).close(3)
                    .chdir("/");
            switch (grouping) {
                case OWN_SESSION -> spawn.newSession();
                case OWN_GROUP -> spawn.newProcessGroup();
                case SHARED -> { }
            }
            List<String> env = environment.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
            KernelThread<Long> finishing = KernelThread.start("ctrnet-launch-finish", this::mountProcAndRelease);
            KernelThread<Long> preparing = KernelThread.start("ctrnet-launch", () -> prepareAndSpawn(spawn, program, env));
            long pid = outcome(preparing, finishing, program);
            return streams.process(pid);
        } finally {
            streams.closeChildEnds();
            deleteIfExists(ready);
            deleteIfExists(go);
        }
    }

    /**
     * The preparing thread's result, once both threads are done: the PID, or the failure of whichever
     * thread failed first. The preparing thread returns once the child has exec'd or ended; a finishing
     * thread that still waits then waits for a child that will never come, and is released. A failed finish
     * has killed the waiting child, which is reaped here.
     */
    private long outcome(KernelThread<Long> preparing, KernelThread<Long> finishing, String program) {
        Long pid = null;
        RuntimeException prepareFailure = null;
        try {
            pid = preparing.join();
        } catch (RuntimeException e) {
            prepareFailure = e;
        }
        RuntimeException finishFailure = null;
        List<Integer> releasers = new ArrayList<>();
        try {
            if (!finishing.isDone()) {
                abandoned = true;
                // opening a FIFO never blocks read-write, nor read-only without blocking: the partner it waits for
                releasers.add(KernelCalls.open(ready.toString(), KernelCalls.O_RDWR | KernelCalls.O_CLOEXEC));
                releasers.add(KernelCalls.open(go.toString(), KernelCalls.O_RDONLY | KernelCalls.O_NONBLOCK
                        | KernelCalls.O_CLOEXEC));
            }
            finishing.join();
        } catch (RuntimeException e) {
            finishFailure = e;
        } finally {
            releasers.forEach(KernelCalls::close);
        }
        if (finishFailure != null) {
            if (pid != null) {
                KernelCalls.waitpid(pid);
            }
            throw finishFailure;
        }
        if (prepareFailure instanceof KernelException k && released) {
            // the child was released, so nothing but its exec could fail
            throw new CommandNotStarted(k.errno() == KernelException.ENOENT ? 127 : 126, container.name(),
                    program + ": " + KernelCalls.strerror(k.errno()));
        }
        if (prepareFailure != null) {
            throw prepareFailure;
        }
        return pid;
    }

    /** The preparing thread: namespaces, the mounts that need no new PID namespace, confinement, spawn. */
    private long prepareAndSpawn(PosixSpawn spawn, String program, List<String> env) {
        KernelCalls.unshare(KernelCalls.CLONE_FS);
        container.netns().ifPresent(ns -> KernelCalls.setns(ns, KernelCalls.CLONE_NEWNET));
        KernelCalls.setns(container.uts(), KernelCalls.CLONE_NEWUTS);
        KernelCalls.unshare(KernelCalls.CLONE_NEWNS | KernelCalls.CLONE_NEWIPC | KernelCalls.CLONE_NEWPID);
        KernelCalls.mount("none", "/", null, KernelCalls.MS_REC | KernelCalls.MS_PRIVATE, null);
        Optional<Path> rootfs = container.rootfs();
        if (rootfs.isPresent()) {
            try {
                prepareRoot(rootfs.get().toString());
            } catch (IOException e) {
                throw fileFailure(e);
            }
        } else {
            // no container keeps another container's namespace alive through its view of the runtime folder
            for (String kind : List.of("netns", "uts")) {
                KernelCalls.umount2(runDir.resolve(kind).toString(), KernelCalls.MNT_DETACH);
            }
            for (String file : ETC_FILES) {
                bind(containerDir.resolve(file).toString(), "/etc/" + file);
            }
        }
        confine(container.privileges());
        preparingThread = KernelCalls.gettid();
        return spawn.spawn(program, container.command(), env);
    }

    /**
     * A root file system before {@code /proc} and the switch: nothing may be created or mounted outside it
     * whatever symbolic links it holds, so it is a mount of its own that follows none ({@code nosymfollow}):
     * a link at {@code proc} or {@code dev} fails rather than leads out.
     */
    private void prepareRoot(String root) throws IOException {
        KernelCalls.mount(root, root, null, KernelCalls.MS_BIND | KernelCalls.MS_REC, null);
        remountBind(root, KernelCalls.MS_NOSYMFOLLOW);
        for (String dir : List.of("proc", "dev")) {
            Path p = Path.of(root, dir);
            if (!Files.isDirectory(p)) {
                Files.createDirectory(p);
            }
        }
        String dev = root + "/dev";
        KernelCalls.mount("dev", dev, "tmpfs", KernelCalls.MS_NOSUID, "mode=755,size=65536k");
        for (Device device : DEVICES) {
            String node = dev + "/" + device.name();
            KernelCalls.mknodCharacter(node, 0666, device.major(), device.minor());
            Files.setPosixFilePermissions(Path.of(node), PosixFilePermissions.fromString("rw-rw-rw-"));
        }
        Files.createDirectory(Path.of(dev, "shm"));
        Files.createDirectory(Path.of(root + STAGED_ETC));
        KernelCalls.mount("shm", dev + "/shm", "tmpfs", KernelCalls.MS_NOSUID | KernelCalls.MS_NODEV
                | KernelCalls.MS_NOEXEC, "size=65536k");
        bind(containerDir.toString(), root + STAGED_ETC);
        Files.createFile(Path.of(root + STAGED_BUSYBOX));
        bind(busybox, root + STAGED_BUSYBOX);
    }

    /**
     * The thread's capabilities as the command's are to be (unless privileged): the bounding set cut to
     * the container's, nothing inheritable, {@code no_new_privs}. A root exec then grants exactly the
     * bounding set, and this thread keeps the effective set it mounts with until it is discarded.
     */
    private static void confine(Privileges privileges) {
        if (privileges.privileged()) {
            return;
        }
        KernelCalls.capsetNoInheritable();
        int last = ContainerLauncher.lastCapability();
        for (int cap = 0; cap <= last; cap++) {
            if (cap >= Capability.values().length || !privileges.capabilities().contains(Capability.values()[cap])) {
                KernelCalls.capbsetDrop(cap);
            }
        }
        KernelCalls.setNoNewPrivs();
    }

    /** The finishing thread: waits for the child, mounts {@code /proc}, switches the root, releases the child. */
    private long mountProcAndRelease() {
        KernelCalls.close(KernelCalls.open(ready.toString(), KernelCalls.O_RDONLY | KernelCalls.O_CLOEXEC));
        if (abandoned) {
            return 0;
        }
        Path task = Path.of("/proc/self/task/" + preparingThread);
        long child = firstChild(task);
        try {
            int dir = KernelCalls.open(containerDir.toString(), KernelCalls.O_PATH | KernelCalls.O_CLOEXEC);
            try {
                KernelCalls.unshare(KernelCalls.CLONE_FS);
                KernelCalls.setns(task.resolve("ns/mnt"), KernelCalls.CLONE_NEWNS);
                KernelCalls.setns(task.resolve("ns/pid_for_children"), KernelCalls.CLONE_NEWPID);
                Optional<String> root = container.rootfs().map(Path::toString);
                if (root.isPresent()) {
                    // /proc only once the /etc files are bound: its magic links (/proc/1/cwd, /proc/1/fd/N)
                    // would lead a link in the root file system out of it
                    switchRoot(root.get());
                    mountProc(STAGED_BUSYBOX, "/proc");
                    KernelCalls.umount2(STAGED_BUSYBOX, 0);
                    Files.delete(Path.of(STAGED_BUSYBOX));
                } else {
                    mountProc(busybox, "/proc");
                }
                if (!container.privileges().privileged()) {
                    protectHostWideProc("/proc");
                }
                // the child cannot exec before this open completes: a spawn error after it is the exec's
                released = !abandoned;
                // blocks until the child waits in its open, as it soon does (or until it is known to be gone)
                KernelCalls.close(KernelCalls.openat(dir, go.getFileName().toString(),
                        KernelCalls.O_WRONLY | KernelCalls.O_CLOEXEC));
                return child;
            } finally {
                KernelCalls.close(dir);
            }
        } catch (IOException e) {
            KernelCalls.kill(child, KernelCalls.SIGKILL);
            throw fileFailure(e);
        } catch (RuntimeException | Error e) {
            KernelCalls.kill(child, KernelCalls.SIGKILL);
            throw e;
        }
    }

    /** The one child of the thread whose {@code /proc/self/task} folder is {@code task}. */
    private static long firstChild(Path task) {
        try {
            return Long.parseLong(Files.readString(task.resolve("children")).trim().split(" ")[0]);
        } catch (IOException | NumberFormatException e) {
            throw new CtrnetException("cannot find the container's first process: " + e.getMessage(), e);
        }
    }

    private CtrnetException fileFailure(IOException e) {
        return new CtrnetException("cannot prepare the files of container " + container.name() + ": " + e, e);
    }

    /**
     * The init step: busybox's static {@code mount} at {@code program}, a member of the container's PID
     * namespace, mounts its {@code /proc} at {@code target}.
     */
    private void mountProc(String program, String target) {
        int[] output = KernelCalls.pipe();
        long mounter;
        try {
            mounter = new PosixSpawn().open(0, "/dev/null", KernelCalls.O_RDONLY, 0).dup2(output[1], 1)
                    .dup2(output[1], 2).closeFrom(3)
                    .spawn(program, List.of("busybox", "mount", "-t", "proc", "-o", "nosuid,nodev,noexec", "proc", target),
                            List.of("PATH=/dev/null"));
        } finally {
            KernelCalls.close(output[1]);
        }
        String said;
        try {
            said = KernelCalls.readAll(output[0]).strip();
        } finally {
            KernelCalls.close(output[0]);
        }
        int status = KernelCalls.waitpid(mounter);
        if (status != 0) {
            throw new CtrnetException("cannot mount /proc for container " + container.name() + ": "
                    + (said.isEmpty() ? "busybox mount exited with " + status : said));
        }
    }

    /**
     * Makes the parts of {@code /proc} that act on the whole host, not on the container's namespaces,
     * read-only, as Docker does: container root could otherwise write, say,
     * {@code /proc/sys/kernel/core_pattern}, a program the host's kernel runs with every privilege.
     */
    private static void protectHostWideProc(String proc) {
        for (String part : ContainerLauncher.HOST_WIDE_PROC) {
            String path = proc + "/" + part;
            if (Files.exists(Path.of(path))) {
                bind(path, path);
                remountBind(path, KernelCalls.MS_RDONLY);
            }
        }
    }

    /**
     * The root file system becomes the container's: it follows links again, {@code pivot_root} makes it
     * the root of every process of the mount namespace (the waiting child included) and the host's is
     * detached. Only then, when every link resolves inside it, the {@code /etc} files are bound where the
     * container's own links lead (a dangling one, such as systemd's {@code resolv.conf}, gets its target
     * made).
     */
    private void switchRoot(String root) throws IOException {
        remountBind(root, 0);
        KernelCalls.chdir(root);
        KernelCalls.pivotRoot(".", ".");
        KernelCalls.umount2(".", KernelCalls.MNT_DETACH);
        KernelCalls.chdir("/");
        Files.createDirectories(followDangling(Path.of("/etc")));
        for (String file : ETC_FILES) {
            Path p = followDangling(Path.of("/etc", file));
            if (!Files.exists(p)) {
                Files.createDirectories(p.getParent());
                Files.createFile(p);
            }
            bind(STAGED_ETC + "/" + file, p.toString());
        }
        KernelCalls.umount2(STAGED_ETC, 0);
        Files.delete(Path.of(STAGED_ETC));
    }

    /** Where a dangling symbolic link at {@code p} leads; {@code p} itself otherwise. */
    private static Path followDangling(Path p) throws IOException {
        if (Files.isSymbolicLink(p) && !Files.exists(p)) {
            Path target = Files.readSymbolicLink(p);
            return target.isAbsolute() ? target : p.getParent().resolve(target);
        }
        return p;
    }

    private static void bind(String source, String target) {
        KernelCalls.mount(source, target, null, KernelCalls.MS_BIND, null);
    }

    /** Sets the bind mount at {@code path}'s per-mount flags to its own plus {@code extra}. */
    private static void remountBind(String path, long extra) {
        long kept = KernelCalls.mountFlags(path);
        KernelCalls.mount("none", path, null, KernelCalls.MS_REMOUNT | KernelCalls.MS_BIND | kept | extra, null);
    }

    /** A character device node: its name under {@code /dev}, major and minor numbers. */
    record Device(String name, int major, int minor) {}

    private static void deleteIfExists(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new CtrnetException("cannot remove " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The child's standard streams from a {@link Stdio}: files are opened by the child itself, pipes made
     * here, their child ends closed here once the child has its copies.
     */
    private static final class Streams {
        private final List<Integer> childEnds = new ArrayList<>();
        private OutputStream stdin = OutputStream.nullOutputStream();
        private InputStream stdout = InputStream.nullInputStream();
        private InputStream stderr = InputStream.nullInputStream();

        void attach(PosixSpawn spawn, Stdio stdio) {
            Redirect[] redirects = {stdio.in(), stdio.out(), stdio.err()};
            for (int fd = 0; fd < 3; fd++) {
                Redirect r = redirects[fd];
                switch (r.type()) {
                    case INHERIT -> { }
                    case READ -> spawn.open(fd, r.file().getPath(), KernelCalls.O_RDONLY, 0);
                    case WRITE -> spawn.open(fd, r.file().getPath(), KernelCalls.O_WRONLY | KernelCalls.O_CREAT
                            | KernelCalls.O_TRUNC, 0666);
                    case APPEND -> spawn.open(fd, r.file().getPath(), KernelCalls.O_WRONLY | KernelCalls.O_CREAT
                            | KernelCalls.O_APPEND, 0666);
                    case PIPE -> pipe(spawn, fd);
                }
            }
        }

        private void pipe(PosixSpawn spawn, int fd) {
            int[] ends = KernelCalls.pipe();
            int childEnd = fd == 0 ? ends[0] : ends[1];
            int ourEnd = fd == 0 ? ends[1] : ends[0];
            childEnds.add(childEnd);
            spawn.dup2(childEnd, fd);
            // the JDK wraps no bare descriptor: open ours anew through /proc, then let the bare one go
            String path = "/proc/self/fd/" + ourEnd;
            try {
                switch (fd) {
                    case 0 -> stdin = new FileOutputStream(path);
                    case 1 -> stdout = new FileInputStream(path);
                    default -> stderr = new FileInputStream(path);
                }
            } catch (IOException e) {
                throw new CtrnetException("cannot connect to the container's standard streams: " + e.getMessage(), e);
            } finally {
                KernelCalls.close(ourEnd);
            }
        }

        ContainerProcess process(long pid) {
            return new ContainerProcess(pid, stdin, stdout, stderr);
        }

        void closeChildEnds() {
            childEnds.forEach(KernelCalls::close);
            childEnds.clear();
        }
    }
}
