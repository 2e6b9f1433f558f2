package dev.ctrnet.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A fresh state root whose commands run in a network namespace of its own, which plays its host: everything in
 * that namespace is the root's, so {@link StateInvariant} can tell what belongs to nothing.
 */
final class IsolatedHost implements AutoCloseable {
    private final String name;
    private final Path netns;
    private final Path root;
    private final Ctrnet ctrnet;
    private final StateInvariant invariant;

    /** A namespace and a root named {@code name}, whose rules go to {@code backend}. */
    IsolatedHost(String backend, String name) {
        this.name = name;
        this.netns = Path.of("/run/netns", name);
        this.root = Path.of("/run/ctrnet-test", name);
        Shell.sh(String.join(" && ", "ip netns add " + name, "ip -n " + name + " link set lo up",
                // a host that forwards already, as CI hosts do (see tools/sandbox/bin/java)
                "ip netns exec " + name + " sysctl -qw net.ipv4.ip_forward=1")).ok();
        this.ctrnet = new Ctrnet(root, "--nat", backend).inNetworkNamespace(netns);
        this.invariant = new StateInvariant(root, netns, backend);
    }

    Ctrnet ctrnet() {
        return ctrnet;
    }

    Path root() {
        return root;
    }

    /** Checks {@link StateInvariant} and returns the records it held for. */
    StateRecords check() {
        return invariant.check();
    }

    /** {@code sh -c SCRIPT} in the namespace playing the host. */
    Shell.Result inHost(String script) {
        return Shell.run(List.of("nsenter", "--net=" + netns, "sh", "-c", script));
    }

    /** Removes every container, the service, the namespace and the root; best effort, after a failure too. */
    @Override
    public void close() {
        Shell.Result listed = ctrnet.run("ps", "-a", "--format", "json");
        if (listed.exit() == 0) {
            for (Map<String, Object> c : Json.array(listed.out())) {
                ctrnet.run("rm", "-f", (String) c.get("name"));
            }
        }
        ctrnet.run("system", "prune");
        ctrnet.run("service", "stop");
        Shell.sh("ip netns pids " + name + " | xargs -r kill -9; ip netns del " + name
                + "; awk '{print $5}' /proc/self/mountinfo | grep '^" + root + "/' | sort -r | xargs -r -n1 umount -l"
                + "; rm -rf " + root);
    }
}
