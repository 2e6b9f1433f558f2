package dev.ctrnet.core.container;

import dev.ctrnet.core.CtrnetException;
import dev.ctrnet.core.kernel.ProcessPrograms;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Starts a container's process: a JVM cannot fork into namespaces, so util-linux does it, as the
 * tutorials do by hand. {@code nsenter} enters the prepared network and UTS namespaces,
 * {@code unshare} makes new PID, mount and IPC namespaces, and a short shell script, inside them,
 * mounts {@code /proc} and the container's {@code /etc} files, confines it to its root file system
 * with {@code chroot} and becomes the command.
 */
public final class ContainerLauncher {
    /**
     * Runs inside the new namespaces. Arguments: the runtime folder (its netns mounts must not stay
     * referenced from this mount namespace, or a removed container's namespace would live on), the
     * folder with hosts/hostname/resolv.conf, the root file system or "", then what {@code env -i}
     * runs: the container's KEY=VALUE pairs, chroot and the root when there is one, the command. So
     * the container's environment reaches only its command, never the tools that set it up. A root
     * file system gets a minimal /dev, as Docker gives; chroot confines the command to it, as the
     * tutorials do (pivot_root would also hide the host's mounts, but needs a static helper inside the
     * new root to detach the old one).
     */
    private static final String INIT_SCRIPT = String.join("\n",
            "run=$1 etc=$2 root=$3; shift 3",
            "umount -R -l \"$run\" 2>/dev/null || true",
            "if [ -n \"$root\" ]; then",
            "  mkdir -p \"$root/proc\" \"$root/etc\" \"$root/dev\"",
            "  mount -t proc proc \"$root/proc\"",
            "  mount -t tmpfs -o nosuid,mode=755 dev \"$root/dev\"",
            "  for d in null zero full random urandom tty; do",
            "    : > \"$root/dev/$d\" && mount --bind \"/dev/$d\" \"$root/dev/$d\"",
            "  done",
            "  mkdir -p \"$root/dev/shm\" && mount -t tmpfs -o nosuid,nodev shm \"$root/dev/shm\"",
            "  for f in hosts hostname resolv.conf; do",
            "    [ -e \"$root/etc/$f\" ] || : > \"$root/etc/$f\"",
            "    mount --bind \"$etc/$f\" \"$root/etc/$f\"",
            "  done",
            "else",
            "  mount -t proc proc /proc",
            "  for f in hosts hostname resolv.conf; do mount --bind \"$etc/$f\" \"/etc/$f\"; done",
            "fi",
            "exec env -i \"$@\"");

    /**
     * Records the exit status and, for {@code --rm}, removes the container, once the command ends.
     * Arguments: the exit file, then the ctrnet command, state root, plugin folder and container name
     * (the command empty when the container stays), then the command; each is its own word, so no
     * path is ever re-split.
     */
    private static final String MONITOR_SCRIPT = String.join("\n",
            "exitfile=$1 cli=$2 root=$3 plugins=$4 name=$5; shift 5",
            "\"$@\"",
            "echo $? > \"$exitfile\"",
            "[ -n \"$cli\" ] || exit 0",
            "if [ -n \"$plugins\" ]; then exec \"$cli\" --root \"$root\" --plugin-dir \"$plugins\" rm -f \"$name\"; fi",
            "exec \"$cli\" --root \"$root\" rm -f \"$name\"");

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
        List<String> cmd = new ArrayList<>();
        cmd.add("nsenter");
        container.netns().ifPresent(ns -> cmd.add("--net=" + ns));
        cmd.add("--uts=" + container.uts());
        cmd.addAll(List.of("--", "unshare", "--ipc", "--pid", "--mount", "--fork", "--propagation", "private",
                "--kill-child", "--", "sh", "-ec", INIT_SCRIPT, "ctrnet-init", runDir.toString(),
                containerDir.toString(), container.rootfs().map(Path::toString).orElse("")));
        environment(container).forEach((key, value) -> cmd.add(key + "=" + value));
        container.rootfs().ifPresent(root -> cmd.addAll(List.of(chroot(), root.toString())));
        cmd.addAll(container.command());
        return cmd;
    }

    /** Starts the container attached to this process's standard streams. */
    public Process startForeground(ContainerRecord container, Path containerDir) {
        return start(new ProcessBuilder(command(container, containerDir)).inheritIO());
    }

    /**
     * Starts the container in its own session, writing to {@code containerDir/log}, so that it outlives
     * this process; its exit status lands in {@code containerDir/exitcode}.
     *
     * @param remover the ctrnet command and state root that remove the container when it ends ({@code --rm})
     */
    public Process startDetached(ContainerRecord container, Path containerDir, Optional<Remover> remover) {
        List<String> cmd = new ArrayList<>(List.of("setsid", "sh", "-c", MONITOR_SCRIPT, "ctrnet-monitor",
                containerDir.resolve("exitcode").toString(), remover.map(Remover::cli).orElse(""),
                remover.map(r -> r.root().toString()).orElse(""),
                remover.flatMap(Remover::pluginDir).map(Path::toString).orElse(""), container.name()));
        cmd.addAll(command(container, containerDir));
        File log = containerDir.resolve("log").toFile();
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
                .redirectErrorStream(true);
        return start(pb);
    }

    /**
     * How a detached {@code --rm} container gets removed when it ends: by running the CLI again.
     *
     * @param cli the ctrnet command
     * @param root the state root to pass it
     * @param pluginDir the plugin folder to pass it, so that a plugin network's container can be removed
     */
    public record Remover(String cli, Path root, Optional<Path> pluginDir) {}

    /** The command line that runs {@code command} inside a running container's namespaces. */
    public static List<String> execCommand(ContainerRecord container, List<String> command) {
        List<String> cmd = new ArrayList<>(List.of("nsenter", "--target", Long.toString(container.pid()),
                "--mount", "--uts", "--ipc", "--pid", "--root", "--wd"));
        if (container.netns().isPresent()) {
            cmd.add("--net");
        }
        cmd.add("--");
        cmd.addAll(command);
        return cmd;
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
     * steps (unshare's child before it execs the init script, the init script, env, chroot) rather
     * than the command: until it is the command, the command has not started, and may yet fail to.
     */
    public static boolean isLaunchStep(List<String> argv) {
        String first = argv.get(0);
        boolean forked = first.equals("unshare");
        boolean initScript = first.equals("sh") && argv.size() > 3 && argv.get(3).equals("ctrnet-init");
        boolean env = first.equals("env") && argv.size() > 1 && argv.get(1).equals("-i");
        boolean chroot = ProcessPrograms.locate("chroot").map(p -> p.toString().equals(first)).orElse(false);
        return forked || initScript || env || chroot;
    }

    /** chroot's absolute path: {@code env -i} runs it with the container's PATH, which need not have it. */
    private static String chroot() {
        return ProcessPrograms.locate("chroot").map(Path::toString).orElseThrow(() -> new CtrnetException(
                "cannot run a container with --rootfs: chroot is not installed (apt-get install coreutils)"));
    }

    /** The tools run with a clean environment of their own; the container's reaches only its command. */
    private static Process start(ProcessBuilder pb) {
        pb.environment().clear();
        pb.environment().put("PATH", PATH);
        try {
            return pb.start();
        } catch (IOException e) {
            throw new CtrnetException("cannot start the container: " + e.getMessage()
                    + " (are util-linux's nsenter, unshare and setsid installed?)", e);
        }
    }
}
