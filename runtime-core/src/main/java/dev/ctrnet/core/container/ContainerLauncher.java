package dev.ctrnet.core.container;

import dev.ctrnet.core.CtrnetException;
import dev.ctrnet.core.kernel.ProcessPrograms;
import dev.ctrnet.core.state.FileModes;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Starts a container's process, and runs commands in a running one, in one of two ways.
 *
 * <p>A container whose first process may be a child of this JVM (foreground, or detached by the ctrnet
 * service, which outlives it and is its monitor) is started by {@link #startChild}: two platform threads
 * of this JVM prepare its namespaces, mounts and capabilities and {@code posix_spawn} the command itself
 * as PID 1 of its new PID namespace, with busybox's {@code mount} of {@code /proc} as the one init step
 * (see {@link ThreadLaunch}). The return of {@code posix_spawn} says that the command has been exec'd.
 *
 * <p>A detached container that must outlive this JVM ({@code --no-daemon}, or an embedding program's
 * {@link #startDetached}) needs a monitor process that is its ancestor and can run {@code ctrnet rm}
 * on the host once it ends; such a monitor cannot be handed a JVM thread's namespaces, so it makes its
 * own, and util-linux and busybox do it, as the tutorials do by hand, in this order:
 * <ol>
 *   <li>{@code setpriv}, twice, confines what follows (unless the container is privileged):
 *       {@code no_new_privs}, the bounding set cut to the container's capabilities, and the few that
 *       the launch itself needs ({@link #LAUNCH_CAPABILITIES}) kept in the inheritable set only. A
 *       root process's exec grants inheritable | bounding, so they last until the last step clears
 *       the inheritable set. It takes two: one setpriv drops the bounding set first, after which the
 *       kernel refuses to raise an inheritable capability outside it.
 *   <li>{@code nsenter} enters the prepared network and UTS namespaces; {@code unshare} makes new PID,
 *       mount and IPC ones.
 *   <li>{@link #INIT_SCRIPT}, in busybox's static shell, mounts {@code /proc}, {@code /dev} and the
 *       container's {@code /etc} files, and with a root file system {@code pivot_root}s into it and
 *       detaches the host's: the shell must outlive the host's libraries, and a static binary does.
 *   <li>{@link #COMMAND_STEP} finds the command on the container's {@code PATH}, clears the
 *       inheritable set and execs the command through {@code env -i}: the container's environment
 *       reaches only the command, never a host tool.
 * </ol>
 * {@link #exec} enters a running container the same way.
 */
public final class ContainerLauncher {
    /**
     * What the launch needs beyond the container's own capabilities: mounts, pivot_root and entering
     * namespaces (SYS_ADMIN), exec's chroot (SYS_CHROOT), device nodes (MKNOD), folders in a root
     * file system that root does not own (DAC_OVERRIDE), and exec's way into a container whose first
     * process changed its user or is otherwise not dumpable (SYS_PTRACE, as {@code nsenter} and
     * {@code /proc/PID/root} check).
     */
    private static final Set<Capability> LAUNCH_CAPABILITIES = EnumSet.of(Capability.SYS_ADMIN,
            Capability.SYS_CHROOT, Capability.MKNOD, Capability.DAC_OVERRIDE, Capability.SYS_PTRACE);

    /**
     * The last step, shared by {@code run} and {@code exec}. Arguments: the launch capabilities to
     * drop from the inheritable set (busybox setpriv's spelling; empty when privileged), the
     * container's PATH, the number N of KEY=VALUE pairs, the N pairs, the command. The command is
     * looked up on the container's PATH here, as runc does, and run by its path: by name, busybox
     * would run an applet of its own in its place. {@code PATH=/dev/null} keeps busybox, should it fail
     * to re-run itself for an applet, from falling back to a container program while capabilities
     * are still held.
     */
    private static final String COMMAND_STEP = String.join("\n",
            "PATH=/dev/null drop=$1 cpath=$2 n=$3; shift 3",
            "eval \"cmd=\\${$((n + 1))}\"",
            "case $cmd in",
            "*/*) ;;",
            "*)",
            "  found=",
            "  set -f; IFS=:",
            "  for d in $cpath; do",
            "    [ -n \"$d\" ] || d=.",
            "    if [ -f \"$d/$cmd\" ] && [ -x \"$d/$cmd\" ]; then found=$d/$cmd; break; fi",
            "  done",
            "  unset IFS; set +f",
            "  if [ -z \"$found\" ]; then printf '%s: executable file not found in $PATH\\n' \"$cmd\" >&2; exit 127; fi",
            "  i=0",
            "  for a; do",
            "    i=$((i + 1))",
            "    [ \"$i\" -ne \"$((n + 1))\" ] || a=$found",
            "    set -- \"$@\" \"$a\"",
            "  done",
            "  shift \"$i\" ;;",
            "esac",
            "if [ -n \"$drop\" ]; then exec setpriv --inh-caps \"$drop\" env -i \"$@\"; fi",
            "exec env -i \"$@\"");

    /**
     * The parts of {@code /proc} that act on the whole host rather than the container's namespaces: a
     * container that is not privileged sees them read-only, as Docker's do.
     */
    static final List<String> HOST_WIDE_PROC = List.of("sys", "sysrq-trigger", "irq", "bus");

    /**
     * The container's first process, in its new namespaces. Arguments: the runtime folder, the folder
     * with hosts/hostname/resolv.conf, the root file system or "", util-linux's mount, then what
     * {@link #COMMAND_STEP} takes.
     *
     * <p>With a root file system, nothing may be created or mounted outside it, whatever symbolic links
     * it holds. While the host is still visible, the root is a mount of its own that follows no
     * symbolic link ({@code nosymfollow}), so a link at {@code proc} or {@code dev} fails rather than
     * leads out; {@code /dev} is a fresh tmpfs, where the container's files wait. After
     * {@code pivot_root} and the host's root detached, every path resolves inside the container, and
     * only then are {@code /etc}'s links followed (a dangling one, such as systemd's
     * {@code resolv.conf}, gets its target made). Without one, the container keeps the host's files
     * and drops its view of the runtime folder's namespace mounts, which would otherwise keep removed
     * containers' namespaces alive.
     */
    private static final String INIT_SCRIPT = String.join("\n",
            "run=$1 etc=$2 root=$3 hostmount=$4; shift 4",
            "PATH=/dev/null",
            "if [ -n \"$root\" ]; then",
            "  \"$hostmount\" --rbind -o nosymfollow \"$root\" \"$root\"",
            "  cd \"$root\"",
            "  [ -d proc ] || mkdir proc",
            "  mount -t proc -o nosuid,nodev,noexec proc proc",
            "  [ -d dev ] || mkdir dev",
            "  mount -t tmpfs -o nosuid,mode=755,size=65536k dev dev",
            ThreadLaunch.DEVICES.stream().map(d -> "  mknod -m 666 dev/" + d.name() + " c " + d.major() + " " + d.minor())
                    .collect(Collectors.joining("\n")),
            "  mkdir dev/shm dev/.ctrnet-etc",
            "  mount -t tmpfs -o nosuid,nodev,noexec,size=65536k shm dev/shm",
            "  mount --bind \"$etc\" dev/.ctrnet-etc",
            "  \"$hostmount\" -o remount,bind,symfollow .",
            "  pivot_root . .",
            "  umount -l .",
            "  cd /",
            "  follow() {",
            "    p=$1",
            "    if [ -L \"$p\" ] && [ ! -e \"$p\" ]; then",
            "      l=$(readlink \"$p\")",
            "      case $l in /*) p=$l ;; *) p=${p%/*}/$l ;; esac",
            "    fi",
            "  }",
            "  follow /etc; mkdir -p \"$p\"",
            "  for f in hosts hostname resolv.conf; do",
            "    follow \"/etc/$f\"",
            "    [ -e \"$p\" ] || { mkdir -p \"${p%/*}/\" && : > \"$p\"; }",
            "    mount --bind \"/dev/.ctrnet-etc/$f\" \"$p\"",
            "  done",
            "  umount /dev/.ctrnet-etc",
            "  rmdir /dev/.ctrnet-etc",
            "else",
            "  for d in netns uts; do umount -l \"$run/$d\" 2>/dev/null || true; done",
            "  mount -t proc proc /proc",
            "  for f in hosts hostname resolv.conf; do mount --bind \"$etc/$f\" \"/etc/$f\"; done",
            "fi",
            // the host-wide parts of /proc read-only, unless privileged (then nothing is to be dropped: $1 is empty)
            "[ -z \"$1\" ] || for p in " + String.join(" ", HOST_WIDE_PROC) + "; do",
            "  [ ! -e \"/proc/$p\" ] || { mount --bind \"/proc/$p\" \"/proc/$p\" && mount -o remount,bind,ro \"/proc/$p\"; }",
            "done",
            COMMAND_STEP);

    /**
     * The container's monitor: says its PID (the handshake {@link #startDetached} waits for), runs the
     * container, records the exit status and, for {@code --rm}, removes the container once the command
     * ends. Arguments: the PID file, the exit file, then the ctrnet command, state root, plugin folder and
     * container name (the command empty when the container stays), then the command; each is its own
     * word, so no path is ever re-split. Removal runs in-process ({@code --no-daemon}): a user who ran
     * without the service never gets one started behind their back.
     */
    private static final String MONITOR_SCRIPT = String.join("\n",
            "pidfile=$1 exitfile=$2 cli=$3 root=$4 plugins=$5 name=$6; shift 6",
            "echo $$ > \"$pidfile\"",
            "\"$@\"",
            "status=$?",
            "(umask 077 && echo \"$status\" > \"$exitfile\")",
            "[ -n \"$cli\" ] || exit 0",
            "if [ -n \"$plugins\" ]; then exec \"$cli\" --no-daemon --root \"$root\" --plugin-dir \"$plugins\" rm -f \"$name\"; fi",
            "exec \"$cli\" --no-daemon --root \"$root\" rm -f \"$name\"");

    /** How long the monitor may take to say its PID: it does so before anything else. */
    private static final long MONITOR_HANDSHAKE_MILLIS = 5000;

    static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    /** The exit statuses of a command that could not be started (not executable, not found), as in sh and Docker. */
    public static final Set<Integer> COULD_NOT_START = Set.of(126, 127);

    private final Path runDir;

    /** A launcher whose containers drop their view of {@code runDir}. */
    public ContainerLauncher(Path runDir) {
        this.runDir = runDir;
    }

    /** The command line that starts {@code container}, with its files in {@code containerDir}. */
    public List<String> command(ContainerRecord container, Path containerDir) {
        List<String> cmd = new ArrayList<>(confinement(container.privileges()));
        cmd.add(tool("nsenter"));
        container.netns().ifPresent(ns -> cmd.add("--net=" + ns));
        cmd.add("--uts=" + container.uts());
        cmd.addAll(List.of("--", tool("unshare"), "--ipc", "--pid", "--mount", "--fork", "--propagation", "private",
                "--kill-child", "--", busybox(), "sh", "-ec", INIT_SCRIPT, "ctrnet-init", runDir.toString(),
                containerDir.toString(), container.rootfs().map(Path::toString).orElse(""), tool("mount")));
        cmd.addAll(commandStepArguments(container, container.command()));
        return cmd;
    }

    /**
     * Starts the container's command as a child of this process, prepared on threads of this JVM (see
     * {@link ThreadLaunch}), attached to {@code stdio}; returns once the command has been exec'd.
     *
     * @param grouping the session and process group the command is in
     * @throws CommandNotStarted when the command is not found on the container's {@code PATH} or cannot be
     *     executed
     */
    public Process startChild(ContainerRecord container, Path containerDir, Stdio stdio, Grouping grouping) {
        Map<String, String> env = environment(container);
        String program = container.command().get(0);
        String path = RootFs.findProgram(container.rootfs().orElse(Path.of("/")), program, env.get("PATH"))
                .orElseThrow(() -> new CommandNotStarted(127, container.name(),
                        program + ": executable file not found in $PATH"));
        return new ThreadLaunch(container, containerDir, runDir, busybox()).start(path, env, stdio, grouping);
    }

    /**
     * The streams of a detached container: no input, its output appended to {@code containerDir/log},
     * made 0600 before anything is written to it.
     */
    public static Stdio detachedStdio(Path containerDir) {
        File log = privateLog(containerDir.resolve("log")).toFile();
        return new Stdio(ProcessBuilder.Redirect.from(new File("/dev/null")), ProcessBuilder.Redirect.appendTo(log),
                ProcessBuilder.Redirect.appendTo(log));
    }

    /**
     * Starts the container in its own session, writing to {@code containerDir/log}, so that it outlives
     * this process; its exit status lands in {@code containerDir/exitcode}. The monitor is no child of
     * this process ({@code setsid -f} forks it and exits at once), so nothing here waits on it: a JVM
     * that ends right after does not wait for a thread blocked in {@code waitpid}.
     *
     * @param remover the ctrnet command and state root that remove the container when it ends ({@code --rm})
     * @return the monitor's PID, an ancestor of the container's first process; 0 if it never said it
     */
    public long startDetached(ContainerRecord container, Path containerDir, Optional<Remover> remover) {
        Path pidFile = emptyPrivateFile(containerDir.resolve("monitor"));
        List<String> cmd = new ArrayList<>(List.of("setsid", "-f", "sh", "-c", MONITOR_SCRIPT, "ctrnet-monitor",
                pidFile.toString(), containerDir.resolve("exitcode").toString(), remover.map(Remover::cli).orElse(""),
                remover.map(r -> r.root().toString()).orElse(""),
                remover.flatMap(Remover::pluginDir).map(Path::toString).orElse(""), container.name()));
        cmd.addAll(command(container, containerDir));
        File log = privateLog(containerDir.resolve("log")).toFile();
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
                .redirectErrorStream(true);
        // the monitor's PATH finds the ctrnet command and its Java; the launch steps are named by path
        Process forker = start(pb, PATH);
        try {
            if (!forker.waitFor(MONITOR_HANDSHAKE_MILLIS, TimeUnit.MILLISECONDS) || forker.exitValue() != 0) {
                forker.destroyForcibly();
                throw new CtrnetException("cannot start the container: setsid -f failed (is util-linux's setsid installed?)");
            }
            return monitorPid(pidFile);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CtrnetException("interrupted while starting the container", e);
        }
    }

    /**
     * Kills what the start of {@code container} left running when its first process was never recorded
     * (ctrnet died in between, or a removal came first): its monitor, if it has one, with what the monitor
     * started, so that the monitor neither records an exit status nor removes a later container of the name;
     * then whatever runs in the container's UTS namespace, which every process of the container is in.
     * Returns once they have ended, so that their network namespace, and the veth in it, goes with them.
     */
    public static void killUnrecorded(ContainerRecord container, Path containerDir) {
        Path pidFile = containerDir.resolve("monitor");
        List<ProcessHandle> killed = new ArrayList<>();
        try {
            long monitor = Long.parseLong(Files.readString(pidFile).strip());
            ProcessTable.arguments(monitor).filter(argv -> argv.size() > 4 && argv.get(3).equals("ctrnet-monitor")
                    && argv.get(4).equals(pidFile.toString())).flatMap(argv -> ProcessHandle.of(monitor))
                    .ifPresent(m -> {
                        killed.addAll(m.descendants().toList());
                        ProcessPrograms.killTree(m);
                    });
        } catch (IOException | NumberFormatException e) {
            // no monitor: started by the service, or it never said its PID
        }
        for (long pid : ProcessTable.inNamespace(container.uts(), "uts")) {
            ProcessHandle.of(pid).ifPresent(p -> {
                p.destroyForcibly();
                killed.add(p);
            });
        }
        for (ProcessHandle p : killed) {
            ProcessTable.startTime(p.pid()).ifPresent(start -> ProcessTable.awaitEnd(p, start, Duration.ofSeconds(5)));
        }
    }

    /** The PID the monitor writes to {@code pidFile} (one line) first thing; 0 if it does not in time. */
    private static long monitorPid(Path pidFile) {
        long deadline = System.nanoTime() + MONITOR_HANDSHAKE_MILLIS * 1_000_000;
        do {
            try {
                String text = Files.readString(pidFile);
                if (text.endsWith("\n")) {
                    return Long.parseLong(text.strip());
                }
            } catch (IOException | NumberFormatException e) {
                return 0; // the container was removed meanwhile, or the file is not the monitor's
            }
            ProcessTable.sleepBriefly();
        } while (System.nanoTime() < deadline);
        return 0;
    }

    /**
     * An empty file made 0600 before anything is written to it, which the monitor then writes into
     * (a shell's {@code >} keeps an existing file's mode).
     */
    private static Path emptyPrivateFile(Path file) {
        try {
            Files.deleteIfExists(file);
            return FileModes.createPrivateFile(file);
        } catch (IOException e) {
            throw new CtrnetException("cannot create " + file + ": " + e.getMessage(), e);
        }
    }

    /** The log, made 0600 before anything is written to it: what a container prints can hold secrets. */
    private static Path privateLog(Path log) {
        try {
            FileModes.createPrivateFile(log);
            return log;
        } catch (FileAlreadyExistsException e) {
            return log;
        } catch (IOException e) {
            throw new CtrnetException("cannot create the container's log " + log + ": " + e.getMessage(), e);
        }
    }

    /** Where a container's first process stands among this process's sessions and process groups. */
    public enum Grouping {
        /** In this process's group: where the user's terminal, which it shares, reaches it. */
        SHARED,
        /** A process group of its own in this session: its {@code kill(0)} reaches no one else. */
        OWN_GROUP,
        /** A session of its own: a detached container, which outlives the command that started it. */
        OWN_SESSION
    }

    /**
     * How a detached {@code --rm} container gets removed when it ends: by running the CLI again.
     *
     * @param cli the ctrnet command
     * @param root the state root to pass it
     * @param pluginDir the plugin folder to pass it, so that a plugin network's container can be removed
     */
    public record Remover(String cli, Path root, Optional<Path> pluginDir) {}

    /**
     * Runs {@code command} in a running container, attached to this process's standard streams, with
     * the container's environment, capabilities and no_new_privs. {@code nsenter} keeps the host's
     * root (so that busybox can be found) while it enters the container's namespaces; busybox's
     * {@code chroot} then moves into the container's root, where {@link #COMMAND_STEP} runs.
     */
    public static Process exec(ContainerRecord container, List<String> command, Stdio stdio) {
        List<String> cmd = new ArrayList<>(confinement(container.privileges()));
        cmd.addAll(List.of(tool("nsenter"), "--target", Long.toString(container.pid()), "--mount", "--uts", "--ipc",
                "--pid", "--root=/"));
        if (container.netns().isPresent()) {
            cmd.add("--net");
        }
        cmd.addAll(List.of("--", busybox(), "chroot", "/proc/" + container.pid() + "/root", "sh", "-ec", COMMAND_STEP,
                "ctrnet-exec"));
        cmd.addAll(commandStepArguments(container, command));
        // no PATH a host tool could be misled by: each is named by its path
        return start(stdio.applyTo(new ProcessBuilder(cmd)), "/dev/null");
    }

    /** The environment a container's command sees: a clean one, as Docker gives. */
    public static Map<String, String> environment(ContainerRecord container) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", PATH);
        env.put("HOSTNAME", container.hostname());
        env.put("HOME", "/root");
        env.putAll(container.env());
        return env;
    }

    /**
     * Whether a container's first process, with arguments {@code argv}, is still one of the launch
     * steps (unshare's child before it execs, the init script, busybox's setpriv and env) rather than
     * the command: until it is the command, the command has not started, and may yet fail to.
     */
    public static boolean isLaunchStep(List<String> argv) {
        String first = argv.get(0);
        boolean forked = first.equals("unshare") || first.endsWith("/unshare");
        boolean initScript = first.endsWith("busybox") && argv.size() > 4 && argv.get(4).equals("ctrnet-init");
        boolean setpriv = first.equals("setpriv") && argv.size() > 1 && argv.get(1).equals("--inh-caps");
        boolean env = first.equals("env") && argv.size() > 1 && argv.get(1).equals("-i");
        return forked || initScript || setpriv || env;
    }

    /**
     * Refuses the host's root, and a root file system whose {@code proc} or {@code dev} is a symbolic
     * link: ctrnet mounts there before the container's root is in place, and follows no link at that
     * point. (The mount itself refuses one too; this says so in a sentence.)
     */
    public static void checkRootfs(Path rootfs) {
        if (rootfs.toAbsolutePath().normalize().getNameCount() == 0) {
            throw new CtrnetException("--rootfs / is the host's own root: leave --rootfs out to share the host's files");
        }
        for (String mountPoint : List.of("proc", "dev")) {
            if (Files.isSymbolicLink(rootfs.resolve(mountPoint))) {
                throw new CtrnetException("--rootfs " + rootfs + ": " + mountPoint + " is a symbolic link; ctrnet mounts "
                        + "/" + mountPoint + " there and follows no link out of the root file system: make it a folder");
            }
        }
    }

    /** The two setpriv steps that confine what follows; none for a privileged container. */
    private static List<String> confinement(Privileges privileges) {
        if (privileges.privileged()) {
            return List.of();
        }
        int lastCap = lastCapability();
        String bounding = privileges.capabilities().stream().filter(c -> c.ordinal() <= lastCap)
                .map(c -> ",+" + c.toolName()).collect(Collectors.joining("", "-all", ""));
        String inheritable = LAUNCH_CAPABILITIES.stream().map(c -> ",+" + c.toolName())
                .collect(Collectors.joining("", "-all", ""));
        String setpriv = tool("setpriv");
        return List.of(setpriv, "--inh-caps=" + inheritable, setpriv, "--no-new-privs", "--bounding-set=" + bounding);
    }

    /** What {@link #COMMAND_STEP} takes: drop list, PATH, the environment and the command. */
    private static List<String> commandStepArguments(ContainerRecord container, List<String> command) {
        Map<String, String> env = environment(container);
        List<String> args = new ArrayList<>();
        args.add(container.privileges().privileged() ? "" : LAUNCH_CAPABILITIES.stream().map(c -> "-" + c.toolName())
                .collect(Collectors.joining(",")));
        args.add(env.get("PATH"));
        args.add(Integer.toString(env.size()));
        env.forEach((key, value) -> args.add(key + "=" + value));
        args.addAll(command);
        return args;
    }

    /** The highest capability this kernel knows ({@code cap_last_cap}); setpriv refuses to name a later one. */
    static int lastCapability() {
        try {
            // one buffered read: a sysctl file answers only the first read, and readString's first is of one byte
            return Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/kernel/cap_last_cap")).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return Capability.values().length - 1;
        }
    }

    /** A util-linux program's absolute path: later steps run with no usable PATH. */
    private static String tool(String name) {
        return ProcessPrograms.locate(name).map(Path::toString).orElseThrow(() -> new CtrnetException(
                "cannot run a container: " + name + " is not installed (apt-get install util-linux)"));
    }

    /**
     * The static busybox: its shell and applets run in the container's root after {@code pivot_root},
     * where none of the host's shared libraries can be loaded.
     */
    private static String busybox() {
        Optional<Path> found = ProcessPrograms.locate("busybox");
        if (found.isEmpty() || !isStatic(found.get())) {
            throw new CtrnetException("cannot run a container: it needs a static busybox (apt-get install busybox-static)");
        }
        return found.get().toString();
    }

    /** Whether an ELF executable needs no program interpreter (no PT_INTERP header): it is statically linked. */
    private static boolean isStatic(Path program) {
        try (FileChannel file = FileChannel.open(program, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
            file.read(header, 0);
            if (header.getInt(0) != 0x464C457F) {
                return false;
            }
            boolean is64 = header.get(4) == 2;
            long phoff = is64 ? header.getLong(0x20) : Integer.toUnsignedLong(header.getInt(0x1C));
            int phentsize = Short.toUnsignedInt(header.getShort(is64 ? 0x36 : 0x2A));
            int phnum = Short.toUnsignedInt(header.getShort(is64 ? 0x38 : 0x2C));
            ByteBuffer type = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < phnum; i++) {
                type.clear();
                file.read(type, phoff + (long) i * phentsize);
                if (type.getInt(0) == 3) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The launch tools run with a clean environment of their own, {@code PATH} alone. */
    private static Process start(ProcessBuilder pb, String path) {
        pb.environment().clear();
        pb.environment().put("PATH", path);
        try {
            return pb.start();
        } catch (IOException e) {
            throw new CtrnetException("cannot start the container: " + e.getMessage()
                    + " (are util-linux's nsenter, unshare, setpriv and setsid installed?)", e);
        }
    }
}
