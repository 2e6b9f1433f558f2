import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The same measurement as AttachBench, for the peers ctrnet is compared with:
 * <ul>
 *   <li>{@code cni}: the CNI reference plugins, bridge (host-local IPAM, masquerade) then portmap with
 *       one published port, as a CNI runtime chains them; detach is their DEL in reverse;</li>
 *   <li>{@code netavark}: Podman's network tool, {@code setup} and {@code teardown} with one published
 *       port (the caller picks the address, as Podman does).</li>
 * </ul>
 * The network namespace is made beforehand and not counted (their runtimes make it themselves),
 * whereas ctrnet's attach includes making its namespaces.
 *
 * Usage (as root, inside a throwaway network namespace — bench/run.sh does that):
 *   java -cp 'cli/target/lib/*' bench/PeersBench.java cni|netavark COUNT
 */
public class PeersBench {
    private static final String CNI_PATH = "/usr/lib/cni";
    private static final String NETAVARK = "/usr/lib/podman/netavark";

    public static void main(String[] args) throws Exception {
        String peer = args[0];
        int count = Integer.parseInt(args[1]);
        if (peer.equals("netavark")) {
            netavark(count);
        } else {
            cni(count);
        }
    }

    private static void cni(int count) throws Exception {
        String cniPath = CNI_PATH;
        long[] attach = new long[count];
        long[] detach = new long[count];
        String[] bridgeResults = new String[count];
        for (int i = 0; i < count; i++) {
            run(List.of("ip", "netns", "add", "cni" + i), "", Map.of());
            long t0 = System.nanoTime();
            bridgeResults[i] = plugin(cniPath, "bridge", "ADD", i, bridgeConfig());
            plugin(cniPath, "portmap", "ADD", i, portmapConfig(i, bridgeResults[i]));
            attach[i] = System.nanoTime() - t0;
        }
        for (int i = count - 1; i >= 0; i--) {
            long t0 = System.nanoTime();
            plugin(cniPath, "portmap", "DEL", i, portmapConfig(i, bridgeResults[i]));
            plugin(cniPath, "bridge", "DEL", i, bridgeConfig());
            detach[i] = System.nanoTime() - t0;
            run(List.of("ip", "netns", "del", "cni" + i), "", Map.of());
        }
        report("cni", count, "attach", attach);
        report("cni", count, "detach", detach);
    }

    private static void netavark(int count) throws Exception {
        long[] attach = new long[count];
        long[] detach = new long[count];
        for (int i = 0; i < count; i++) {
            run(List.of("ip", "netns", "add", "nv" + i), "", Map.of());
            long t0 = System.nanoTime();
            run(List.of(NETAVARK, "--config", "/run/netavark-bench", "setup", "/run/netns/nv" + i), netavarkOptions(i),
                    Map.of());
            attach[i] = System.nanoTime() - t0;
        }
        for (int i = count - 1; i >= 0; i--) {
            long t0 = System.nanoTime();
            run(List.of(NETAVARK, "--config", "/run/netavark-bench", "teardown", "/run/netns/nv" + i),
                    netavarkOptions(i), Map.of());
            detach[i] = System.nanoTime() - t0;
            run(List.of("ip", "netns", "del", "nv" + i), "", Map.of());
        }
        report("netavark", count, "attach", attach);
        report("netavark", count, "detach", detach);
    }

    /** Netavark's setup options for container {@code i}: its address on 10.202.0.0/16, one published port. */
    private static String netavarkOptions(int i) throws IOException {
        String id = String.format("%064x", i + 1);
        String ip = "10.202." + ((i + 2) / 256) + "." + ((i + 2) % 256);
        Map<String, Object> subnet = Map.of("subnet", "10.202.0.0/16", "gateway", "10.202.0.1");
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", "bench");
        info.put("id", String.format("%064x", 7));
        info.put("driver", "bridge");
        info.put("network_interface", "nv-bench0");
        info.put("subnets", List.of(subnet));
        info.put("ipv6_enabled", false);
        info.put("internal", false);
        info.put("dns_enabled", false);
        info.put("ipam_options", Map.of("driver", "host-local"));
        Map<String, Object> port = Map.of("host_ip", "", "container_port", 80, "host_port", 20000 + i, "range", 1,
                "protocol", "tcp");
        Map<String, Object> opts = new LinkedHashMap<>();
        opts.put("container_id", id);
        opts.put("container_name", "bench" + i);
        opts.put("port_mappings", List.of(port));
        opts.put("networks", Map.of("bench", Map.of("static_ips", List.of(ip), "interface_name", "eth0")));
        opts.put("network_info", Map.of("bench", info));
        return JSON.std.asString(opts);
    }

    private static String bridgeConfig() throws IOException {
        Map<String, Object> ipam = new LinkedHashMap<>();
        ipam.put("type", "host-local");
        ipam.put("subnet", "10.201.0.0/16");
        ipam.put("dataDir", "/run/cni-bench-ipam");
        Map<String, Object> conf = new LinkedHashMap<>();
        conf.put("cniVersion", "0.4.0");
        conf.put("name", "bench");
        conf.put("type", "bridge");
        conf.put("bridge", "cni-bench0");
        conf.put("isGateway", true);
        conf.put("ipMasq", true);
        conf.put("ipam", ipam);
        return JSON.std.asString(conf);
    }

    private static String portmapConfig(int i, String prevResult) throws IOException {
        Map<String, Object> mapping = Map.of("hostPort", 20000 + i, "containerPort", 80, "protocol", "tcp");
        Map<String, Object> conf = new LinkedHashMap<>();
        conf.put("cniVersion", "0.4.0");
        conf.put("name", "bench");
        conf.put("type", "portmap");
        conf.put("capabilities", Map.of("portMappings", true));
        conf.put("runtimeConfig", Map.of("portMappings", List.of(mapping)));
        conf.put("prevResult", JSON.std.mapFrom(prevResult));
        return JSON.std.asString(conf);
    }

    private static String plugin(String cniPath, String type, String command, int i, String config) throws Exception {
        Map<String, String> env = Map.of("CNI_COMMAND", command, "CNI_CONTAINERID", "bench" + i,
                "CNI_NETNS", "/run/netns/cni" + i, "CNI_IFNAME", "eth0", "CNI_PATH", cniPath);
        return run(List.of(cniPath + "/" + type), config, env);
    }

    private static String run(List<String> command, String input, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(command + " failed: " + out);
        }
        return out;
    }

    /** Medians of the first and last tenth (at least one sample each), and their ratio, as AttachBench prints. */
    private static void report(String peer, int count, String what, long[] nanos) {
        int window = Math.max(1, count / 10);
        double first = median(Arrays.copyOfRange(nanos, 0, window));
        double last = median(Arrays.copyOfRange(nanos, count - window, count));
        double all = median(nanos.clone());
        System.out.printf("%-9s %5d containers  %-6s  median %7.2f ms   first %7.2f ms   last %7.2f ms   last/first %5.2f%n",
                peer, count, what, all / 1e6, first / 1e6, last / 1e6, last / first);
    }

    private static double median(long[] values) {
        Arrays.sort(values);
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
    }
}
