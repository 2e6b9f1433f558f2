import dev.ctrnet.api.NetworkSpec;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.PortMapping;
import dev.ctrnet.core.Runtime;
import dev.ctrnet.core.RuntimeConfig;
import dev.ctrnet.core.container.ContainerRecord;
import dev.ctrnet.core.container.ContainerSpec;
import dev.ctrnet.core.container.Privileges;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Per-container attach and detach cost as the number of containers on one bridge grows: each
 * container gets its namespaces, a veth on the bridge, an address and one published port (what a
 * CNI ADD does, plus DNAT). Runs through the Java API, so JVM start-up is not counted.
 *
 * Usage (as root, inside a throwaway network namespace — bench/run.sh does that):
 *   java -cp 'cli/target/lib/*' bench/AttachBench.java NAT COUNT ROOT
 */
public class AttachBench {
    public static void main(String[] args) {
        String nat = args[0];
        int count = Integer.parseInt(args[1]);
        Path root = Path.of(args[2]);
        try (Runtime runtime = Runtime.open(RuntimeConfig.forRoot(root, nat, Optional.empty(), Optional.empty()))) {
            runtime.createNetwork(new NetworkSpec("bench", "bridge", Optional.of(Cidr.parse("10.200.0.0/16")),
                    Optional.empty(), false, Map.of()));
            long[] attach = new long[count];
            List<String> names = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ContainerSpec spec = new ContainerSpec(Optional.of("b" + i), "bench",
                        List.of(PortMapping.parse((20000 + i) + ":80")), Optional.empty(), Optional.empty(),
                        Optional.empty(), Map.of(), List.of("true"), true, false, Privileges.dockerDefaults());
                long t0 = System.nanoTime();
                ContainerRecord c = runtime.create(spec);
                attach[i] = System.nanoTime() - t0;
                names.add(c.name());
            }
            long[] detach = new long[count];
            for (int i = count - 1; i >= 0; i--) {
                long t0 = System.nanoTime();
                runtime.remove(names.get(i), true);
                detach[i] = System.nanoTime() - t0;
            }
            runtime.removeNetwork("bench");
            report(nat, count, "attach", attach);
            report(nat, count, "detach", detach);
        }
    }

    /** Medians of the first and last tenth (at least one sample each), and their ratio. */
    private static void report(String nat, int count, String what, long[] nanos) {
        int window = Math.max(1, count / 10);
        double first = median(Arrays.copyOfRange(nanos, 0, window));
        double last = median(Arrays.copyOfRange(nanos, count - window, count));
        double all = median(nanos.clone());
        System.out.printf("%-9s %5d containers  %-6s  median %7.2f ms   first %7.2f ms   last %7.2f ms   last/first %5.2f%n",
                nat, count, what, all / 1e6, first / 1e6, last / 1e6, last / first);
    }

    private static double median(long[] values) {
        Arrays.sort(values);
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
    }
}
