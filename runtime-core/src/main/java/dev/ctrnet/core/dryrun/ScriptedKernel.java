package dev.ctrnet.core.dryrun;

import dev.ctrnet.api.Names;
import dev.ctrnet.api.kernel.Kernel;
import dev.ctrnet.api.kernel.KernelException;
import dev.ctrnet.api.kernel.Namespaces;
import dev.ctrnet.api.kernel.Netlink;
import dev.ctrnet.api.kernel.NetworkNamespace;
import dev.ctrnet.api.kernel.Sysctl;
import dev.ctrnet.api.kernel.SysctlKey;
import dev.ctrnet.core.container.ContainerRecord;
import dev.ctrnet.core.container.Sandboxes;
import dev.ctrnet.core.kernel.KernelThread;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The kernel of a dry run: the same {@link Kernel} (and {@link Sandboxes}) the runtime's commands and drivers
 * work through, but every change is written down as the shell command that makes it ({@code ip},
 * {@code sysctl}, {@code unshare}, {@code nsenter}, {@code mount}) and applied to a plan of the namespaces
 * instead of to them. Reads come from that plan, which starts as the kernel holds things now, so the
 * commands' checks and drivers' decisions are the ones a real run would make. Nothing is ever sent to the
 * kernel but reads.
 */
public final class ScriptedKernel implements Kernel {
    private final Namespaces real;
    private final Sysctl realSysctl;
    private final ShellScript script;
    private final Map<Path, PlannedNamespace> planned = new HashMap<>();
    /** Sysctls written so far, by namespace path and key. */
    private final Map<List<Object>, String> sysctls = new HashMap<>();
    private final Set<Path> sharedFolders = new HashSet<>();
    /** Namespace files the run makes, and those of the kernel it removes. */
    private final Set<Path> bound = new HashSet<>();
    private final Set<Path> unbound = new HashSet<>();
    private final Namespaces namespaces = new ScriptedNamespaces();
    private final Sysctl sysctl = new ScriptedSysctl();
    private final Sandboxes sandboxes = new ScriptedSandboxes();

    /**
     * @param real the namespaces, for reading the links, addresses and routes of those that exist
     * @param realSysctl the sysctls, for reading those of existing namespaces
     * @param script where the steps go
     */
    public ScriptedKernel(Namespaces real, Sysctl realSysctl, ShellScript script) {
        this.real = real;
        this.realSysctl = realSysctl;
        this.script = script;
    }

    @Override
    public Namespaces namespaces() {
        return namespaces;
    }

    @Override
    public Sysctl sysctl() {
        return sysctl;
    }

    /** The container's other namespaces and its process, scripted the same way. */
    public Sandboxes sandboxes() {
        return sandboxes;
    }

    ShellScript script() {
        return script;
    }

    /** {@code namespace} as the run would have it so far; read from the kernel the first time. */
    PlannedNamespace planned(NetworkNamespace namespace) {
        PlannedNamespace known = planned.get(namespace.path());
        if (known == null) {
            known = PlannedNamespace.existing(real.netlink(namespace));
            planned.put(namespace.path(), known);
        }
        return known;
    }

    /** {@code words} as run inside {@code namespace}: through {@code nsenter} unless it is the host's. */
    List<String> in(NetworkNamespace namespace, List<String> words) {
        List<String> command = new ArrayList<>();
        if (!namespace.isHost()) {
            command.addAll(List.of("nsenter", "--net=" + namespace.path()));
        }
        command.addAll(words);
        return command;
    }

    List<String> in(NetworkNamespace namespace, String... words) {
        return in(namespace, List.of(words));
    }

    /** Whether a namespace file is there, or will be by then. */
    private boolean exists(Path path) {
        return bound.contains(path) || !unbound.contains(path) && Files.exists(path);
    }

    /**
     * The folder of namespace files as {@link dev.ctrnet.core.kernel.NativeNamespaces} makes it, once: made
     * (0700) and a shared mount point, so that the bind mounts in it reach containers' mount namespaces and are
     * unmounted everywhere at once.
     */
    private void shareFolder(Path folder) {
        if (!sharedFolders.add(folder)) {
            return;
        }
        String dir = ShellScript.quote(folder.toString());
        script.addLines("the folder of namespace files, a shared mount point as ip netns makes /run/netns, so that"
                + " containers' mount namespaces see these mounts come and go",
                "(umask 077 && mkdir -p " + dir + ")",
                "mount --make-rshared " + dir + " 2>/dev/null || { mount --rbind " + dir + " " + dir
                        + " && mount --make-rshared " + dir + "; }");
    }

    /** The steps that make a namespace kept at {@code path}: an empty file, then {@code unshare}. */
    private void bindNew(Path path, String why, List<String> unshare) {
        if (exists(path)) {
            throw new KernelException(KernelException.EEXIST, "a namespace already exists at " + path);
        }
        shareFolder(path.toAbsolutePath().getParent());
        script.add(why, List.of("install", "-m", "600", "/dev/null", path.toString()), unshare);
        bound.add(path);
        unbound.remove(path);
    }

    /** The steps that unmount and remove a namespace file, when there is one. */
    private void unbind(Path path, String why) {
        if (exists(path)) {
            script.add(why, List.of("umount", "-l", path.toString()), List.of("rm", "-f", path.toString()));
            bound.remove(path);
            unbound.add(path);
        }
    }

    private final class ScriptedNamespaces implements Namespaces {
        @Override
        public NetworkNamespace create(Path path) {
            NetworkNamespace made = new NetworkNamespace(path);
            bindNew(path, "a new network " + ScriptedNetlink.place(made) + ", kept alive by a bind mount on its file"
                    + " (as ip netns add does)",
                    List.of("unshare", "--net=" + path, "true"));
            planned.put(path, PlannedNamespace.made(made));
            return made;
        }

        @Override
        public NetworkNamespace open(Path path) {
            if (unbound.contains(path)) {
                throw new KernelException(KernelException.ENOENT, "no namespace at " + path);
            }
            return bound.contains(path) ? new NetworkNamespace(path) : real.open(path);
        }

        @Override
        public void delete(NetworkNamespace namespace) {
            if (namespace.isHost()) {
                throw new IllegalArgumentException("the host namespace cannot be deleted");
            }
            unbind(namespace.path(), "remove " + ScriptedNetlink.place(namespace) + ": its bind mount goes, and with its"
                    + " last user the kernel destroys it and the veth pairs in it");
            planned.remove(namespace.path());
            for (PlannedNamespace other : planned.values()) {
                other.pairedWith(namespace).forEach(other::remove);
            }
        }

        @Override
        public <T> T runIn(NetworkNamespace namespace, Callable<T> work) {
            throw new KernelException(0, "a dry run cannot run a driver's own code inside "
                    + Netlink.describe(namespace) + ": it cannot tell what that code would change");
        }

        @Override
        public Netlink netlink(NetworkNamespace namespace) {
            return new ScriptedNetlink(ScriptedKernel.this, planned(namespace));
        }
    }

    private final class ScriptedSysctl implements Sysctl {
        /**
         * The value as the run would have it. In a namespace the run makes, what the kernel would give it is
         * not known without making it: "" (which no write equals, so each write is a step).
         */
        @Override
        public String read(NetworkNamespace namespace, SysctlKey key) {
            String written = sysctls.get(List.of(namespace.path(), key));
            if (written != null) {
                return written;
            }
            PlannedNamespace known = planned.get(namespace.path());
            if (known != null && known.made()) {
                return "";
            }
            try {
                return realSysctl.read(namespace, key);
            } catch (KernelException e) {
                if (e.errno() == KernelException.ENOENT && ofPlannedLink(namespace, key)) {
                    return ""; // a parameter of a link the run makes: the kernel would give it its default
                }
                throw e;
            }
        }

        /** Whether {@code key} is a parameter of an interface ({@code net.FAMILY.conf.NAME.…}) the plan has. */
        private boolean ofPlannedLink(NetworkNamespace namespace, SysctlKey key) {
            List<String> s = key.segments();
            return s.size() == 5 && s.get(0).equals("net") && s.get(2).equals("conf")
                    && planned(namespace).find(s.get(3)).isPresent();
        }

        @Override
        public void write(NetworkNamespace namespace, SysctlKey key, String value) {
            sysctls.put(List.of(namespace.path(), key), value);
            script.add(why(key), in(namespace, "sysctl", "-q", "-w", name(key) + "=" + value));
        }

        private static String why(SysctlKey key) {
            List<String> s = key.segments();
            if (key.toString().equals("net.ipv4.ip_forward")) {
                return "IP forwarding: the host routes between its bridges and its other interfaces";
            }
            if (key.toString().equals("net.ipv6.conf.all.forwarding")) {
                return "IPv6 forwarding: the host routes a dual-stack network's IPv6 too";
            }
            if (s.size() == 5 && s.get(2).equals("conf") && s.get(4).equals("accept_dad")) {
                return "no duplicate address detection for " + s.get(3) + "'s link-local address, from which the"
                        + " kernel asks for the neighbours of forwarded IPv6 packets: usable at once";
            }
            if (s.size() == 5 && s.get(2).equals("conf") && s.get(4).equals("route_localnet")) {
                return "route_localnet on " + s.get(3) + ": lets DNAT send 127.0.0.1 traffic (ports published on"
                        + " localhost) out of the bridge";
            }
            return "kernel parameter " + key;
        }

        /** The key as sysctl(8) reads it: with dots, or with slashes when a part holds a dot (an interface's name). */
        private static String name(SysctlKey key) {
            boolean dotted = key.segments().stream().anyMatch(s -> s.contains("."));
            return dotted ? String.join("/", key.segments()) : key.toString();
        }
    }

    private final class ScriptedSandboxes implements Sandboxes {
        @Override
        public KernelThread<Path> startUts(Path path, String hostname) {
            Names.requireHostname(hostname);
            bindNew(path, "the container's UTS namespace, with its host name " + hostname + ", kept alive by a bind"
                    + " mount on its file", List.of("unshare", "--uts=" + path, "hostname", hostname));
            return KernelThread.finished(path);
        }

        @Override
        public void removeNamespaceFile(Path path) {
            unbind(path, "remove the container's UTS namespace: its bind mount goes");
        }

        @Override
        public void terminate(ContainerRecord record, int timeoutSeconds) {
            Optional<ProcessHandle> process = ProcessHandle.of(record.pid());
            if (process.isEmpty()) {
                return;
            }
            String pid = Long.toString(record.pid());
            if (timeoutSeconds == 0) {
                script.add("the container's process " + pid + " is killed first", List.of("kill", "-KILL", pid));
            } else {
                script.addLines("the container's process " + pid + " is asked to end, and killed after "
                        + timeoutSeconds + " s", "kill -TERM " + pid,
                        "sleep " + timeoutSeconds + "; kill -KILL " + pid + " 2>/dev/null || true");
            }
        }
    }
}
