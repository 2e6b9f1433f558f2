import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The same measurement as AttachBench, for the CNI reference plugins: per container, bridge (with
 * host-local IPAM, masquerade) then portmap with one published port, as a CNI runtime chains them;
 * detach is their DEL in reverse. The network namespace is made beforehand and not counted (a CNI
 * runtime makes it itself), whereas ctrnet's attach includes making its namespaces.
 *
 * Usage (as root, inside a throwaway network namespace — bench/run.sh does that):
 *   java -cp 'cli/target/lib/*' bench/CniBench.java COUNT [CNI_PATH]
 */
public class CniBench {
    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        String cniPath = args.length > 1 ? args[1] : "/usr/lib/cni";
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
        report(count, "attach", attach);
        report(count, "detach", detach);
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
    private static void report(int count, String what, long[] nanos) {
        int window = Math.max(1, count / 10);
        double first = median(Arrays.copyOfRange(nanos, 0, window));
        double last = median(Arrays.copyOfRange(nanos, count - window, count));
        double all = median(nanos.clone());
        System.out.printf("%-9s %5d containers  %-6s  median %7.2f ms   first %7.2f ms   last %7.2f ms   last/first %5.2f%n",
                "cni", count, what, all / 1e6, first / 1e6, last / 1e6, last / first);
    }

    private static double median(long[] values) {
        Arrays.sort(values);
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
    }
}
