package dev.ctrnet.core.container;

import dev.ctrnet.core.CtrnetException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
     * folder with hosts/hostname/resolv.conf, the root file system or "", then the command. A root
     * file system gets a minimal /dev, as Docker gives, and the command is started with chroot, as the tutorials do (pivot_root would also
     * hide the host's mounts, but needs a static helper inside the new root to detach the old one).
     */
    private static final String INIT_SCRIPT = String.join("\n",
            "run=$1 etc=$2 root=$3; shift 3",
            "umount -R -l \"$run\" 2>/dev/null || true",
            "if [ -n \"$root\" ]; then",
            "  mkdir -p \"$root/proc\" \"$root/etc\"",
            "  mount -t proc proc \"$root/proc\"",
            "  mkdir -p \"$root/dev\"",
            "  mount -t tmpfs -o nosuid,mode=755 dev \"$root/dev\"",
            "  for d in null zero full random urandom tty; do",
            "    : > \"$root/dev/$d\" && mount --bind \"/dev/$d\" \"$root/dev/$d\"",
            "  done",
            "  mkdir -p \"$root/dev/shm\" && mount -t tmpfs -o nosuid,nodev shm \"$root/dev/shm\"",
            "  for f in hosts hostname resolv.conf; do",
            "    [ -e \"$root/etc/$f\" ] || : > \"$root/etc/$f\"",
            "    mount --bind \"$etc/$f\" \"$root/etc/$f\"",
            "  done",
            "  cd \"$root\"",
            "  exec chroot \"$root\" \"$@\"",
            "fi",
            "mount -t proc proc /proc",
            "for f in hosts hostname resolv.conf; do mount --bind \"$etc/$f\" \"/etc/$f\"; done",
            "exec \"$@\"");

    /**
     * Records the exit status and, for {@code --rm}, removes the container, once the command ends.
     * Arguments: the exit file, then the ctrnet command, state root and container name (empty when
     * the container stays), then the command; each is its own word, so no path is ever re-split.
     */
    private static final String MONITOR_SCRIPT = String.join("\n",
            "exitfile=$1 cli=$2 root=$3 name=$4; shift 4",
            "\"$@\"",
            "echo $? > \"$exitfile\"",
            "if [ -n \"$cli\" ]; then exec \"$cli\" --root \"$root\" rm -f \"$name\"; fi");

    private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

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
        cmd.addAll(container.command());
        return cmd;
    }

    /** Starts the container attached to this process's standard streams. */
    public Process startForeground(ContainerRecord container, Path containerDir) {
        ProcessBuilder pb = new ProcessBuilder(command(container, containerDir)).inheritIO();
        environment(pb, container);
        return start(pb);
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
                remover.map(r -> r.root().toString()).orElse(""), container.name()));
        cmd.addAll(command(container, containerDir));
        File log = containerDir.resolve("log").toFile();
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
                .redirectErrorStream(true);
        environment(pb, container);
        return start(pb);
    }

    /**
     * How a detached {@code --rm} container gets removed when it ends: by running the CLI again.
     *
     * @param cli the ctrnet command
     * @param root the state root to pass it
     */
    public record Remover(String cli, Path root) {}

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

    private static void environment(ProcessBuilder pb, ContainerRecord container) {
        pb.environment().clear();
        pb.environment().putAll(environment(container));
    }

    private static Process start(ProcessBuilder pb) {
        try {
            return pb.start();
        } catch (IOException e) {
            throw new CtrnetException("cannot start the container: " + e.getMessage()
                    + " (are util-linux's nsenter, unshare and setsid installed?)", e);
        }
    }
}
