import com.sun.management.ThreadMXBean;
import dev.ctrnet.api.NetworkSpec;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.PortMapping;
import dev.ctrnet.core.Runtime;
import dev.ctrnet.core.RuntimeConfig;
import dev.ctrnet.core.container.ContainerSpec;
import dev.ctrnet.core.container.Privileges;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Per-container attach and detach cost as the number of containers on one bridge grows: each container
 * gets its namespaces, a veth on the bridge, an address and one published port (what a CNI ADD does, plus
 * DNAT). Runs through the Java API in one warm JVM, so JVM start-up and cold code are not counted.
 *
 * <p>After a warm-up, COUNT containers are created one after the other, then removed newest first. Printed
 * per NAT backend: the median attach of the containers that were the 1st to 25th, the 88th to 112th and the
 * COUNT-24th to COUNT-th on the bridge (and of the detaches with as many on it), and the ratio of the last
 * to the first. Then a 10,000-port range ({@code -p 20000-29999:20000-29999}) against one port, alternately:
 * median attach and detach, bytes the JVM allocated per attach, and the bytes of its firewall record.
 *
 * <p>With {@code crowded}, the port ranges make way for a second round of COUNT containers on a crowded host:
 * 10,000 routes and 1,000 links that have nothing to do with ctrnet are added to the host's namespace first,
 * and the medians of both rounds are printed side by side. An attach that reads whole tables costs more on the
 * crowded host; one that looks up what it needs costs the same.
 *
 * Usage (as root, inside a throwaway network namespace with an uplink0 — bench/run.sh does that):
 *   java -cp 'cli/target/lib/*' bench/AttachBench.java NAT ROOT [COUNT] [crowded]
 */
public class AttachBench {
    private static final int WINDOW = 25;
    private static final int WARM_UP = 200;
    private static final int RANGE_ROUNDS = 20;
    private static final long SETTLE_MILLIS = 3000;
    private static final int CROWD_ROUTES = 10_000;
    private static final int CROWD_LINKS = 1_000;
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws IOException, InterruptedException {
        String nat = args[0];
        Path root = Path.of(args[1]);
        int count = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        boolean crowded = args.length > 3 && args[3].equals("crowded");
        try (Runtime runtime = Runtime.open(RuntimeConfig.forRoot(root, nat, Optional.empty(), Optional.empty()))) {
            runtime.createNetwork(new NetworkSpec("bench", "bridge", Optional.of(Cidr.parse("10.200.0.0/16")),
                    Optional.empty(), false, Map.of()));
            String bridge = runtime.network("bench").options().get("bridge");
            for (int i = 0; i < WARM_UP; i++) {
                runtime.create(spec("w" + i, (20000 + i) + ":80"));
                runtime.remove("w" + i, true);
            }
            awaitNoPorts(bridge);
            long[][] plain = fillAndEmpty(runtime, count);
            report(nat, "attach", plain[0]);
            report(nat, "detach", plain[1]);
            awaitNoPorts(bridge);
            if (crowded) {
                String kind = crowdTheHost();
                System.out.printf("with %,d more routes and %,d more links (%s) in the host's namespace:%n", CROWD_ROUTES,
                        CROWD_LINKS, kind);
                long[][] crowd = fillAndEmpty(runtime, count);
                report(nat, "attach", crowd[0]);
                report(nat, "detach", crowd[1]);
                System.out.printf("%-9s crowded/plain host: attach at 1: %5.2f   at %d: %5.2f   detach at 1: %5.2f"
                        + "   at %d: %5.2f%n", nat, window(crowd[0], 0) / window(plain[0], 0), count,
                        window(crowd[0], count - WINDOW) / window(plain[0], count - WINDOW),
                        window(crowd[1], 0) / window(plain[1], 0), count,
                        window(crowd[1], count - WINDOW) / window(plain[1], count - WINDOW));
                awaitNoPorts(bridge);
            } else {
                portRange(nat, runtime, root);
            }
            runtime.removeNetwork("bench");
        }
    }

    /**
     * COUNT containers created one after the other, then removed newest first: their attach times, and their
     * detach times, detach[i] being the removal that leaves i containers (so it ran with i + 1 on the bridge).
     */
    private static long[][] fillAndEmpty(Runtime runtime, int count) {
        long[] attach = new long[count];
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            runtime.create(spec("b" + i, (20000 + i) + ":80"));
            attach[i] = System.nanoTime() - t0;
        }
        long[] detach = new long[count];
        for (int i = count - 1; i >= 0; i--) {
            long t0 = System.nanoTime();
            runtime.remove("b" + i, true);
            detach[i] = System.nanoTime() - t0;
        }
        return new long[][] {attach, detach};
    }

    /**
     * Adds CROWD_ROUTES host routes through uplink0 (100.64.0.0/10, which nothing here uses) and CROWD_LINKS
     * links to the host's namespace, with one {@code ip -batch} each; returns the links' kind: dummy, or a
     * bridge (down, without ports) where the kernel has no dummy links.
     */
    private static String crowdTheHost() throws IOException, InterruptedException {
        StringBuilder routes = new StringBuilder();
        for (int i = 0; i < CROWD_ROUTES; i++) {
            routes.append("route add 100.64.").append(i / 256).append('.').append(i % 256).append("/32 dev uplink0\n");
        }
        if (!ipBatch(routes.toString())) {
            throw new IllegalStateException("ip could not add " + CROWD_ROUTES + " routes through uplink0");
        }
        String kind = ipBatch("link add crowd0 type dummy\n") ? "dummy" : "bridge";
        StringBuilder links = new StringBuilder(kind.equals("bridge") ? "link add crowd0 type bridge\n" : "");
        for (int i = 1; i < CROWD_LINKS; i++) {
            links.append("link add crowd").append(i).append(" type ").append(kind).append('\n');
        }
        if (!ipBatch(links.toString())) {
            throw new IllegalStateException("ip could not add " + CROWD_LINKS + " " + kind + " links");
        }
        return kind;
    }

    /** Runs {@code ip -batch -} on {@code commands}; whether every one succeeded. */
    private static boolean ipBatch(String commands) throws IOException, InterruptedException {
        Process ip = new ProcessBuilder("ip", "-batch", "-").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try (var in = ip.getOutputStream()) {
            in.write(commands.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        return ip.waitFor() == 0;
    }

    /** The medians at 1, 100 and COUNT containers (a window of 25 ending there) and the ratio of the last to the first. */
    private static void report(String nat, String what, long[] nanos) {
        int count = nanos.length;
        StringBuilder line = new StringBuilder(String.format("%-9s %-6s", nat, what));
        double first = window(nanos, 0);
        for (int at : count >= 100 + WINDOW / 2 ? new int[] {1, 100, count} : new int[] {1, count}) {
            int from = at == 1 ? 0 : at == count ? count - WINDOW : at - WINDOW / 2 - 1;
            line.append(String.format("   at %4d: %6.2f ms", at, window(nanos, Math.max(0, from))));
        }
        line.append(String.format("   %d/1: %5.2f", count, window(nanos, count - WINDOW) / first));
        System.out.println(line);
    }

    /**
     * One published 10,000-port range against one port, alternately so that both meet the same machine: each
     * round attaches and detaches a container of each on the empty bridge.
     */
    private static void portRange(String nat, Runtime runtime, Path root) throws IOException {
        String[] shapes = {"20000:20000", "20000-29999:20000-29999"};
        long[][] attach = new long[2][RANGE_ROUNDS];
        long[][] detach = new long[2][RANGE_ROUNDS];
        long[][] allocated = new long[2][RANGE_ROUNDS];
        long[] recordBytes = new long[2];
        for (int round = 0; round < RANGE_ROUNDS; round++) {
            for (int shape = 0; shape < 2; shape++) {
                String name = "r" + shape;
                long bytes = THREADS.getCurrentThreadAllocatedBytes();
                long t0 = System.nanoTime();
                runtime.create(spec(name, shapes[shape]));
                attach[shape][round] = System.nanoTime() - t0;
                allocated[shape][round] = THREADS.getCurrentThreadAllocatedBytes() - bytes;
                recordBytes[shape] = firewallBytes(root, name);
                t0 = System.nanoTime();
                runtime.remove(name, true);
                detach[shape][round] = System.nanoTime() - t0;
            }
        }
        for (int shape = 0; shape < 2; shape++) {
            System.out.printf("%-9s -p %-23s  attach %6.2f ms   detach %6.2f ms   allocated %7.1f KiB per attach"
                    + "   firewall record %d B%n", nat, shapes[shape], median(attach[shape]) / 1e6,
                    median(detach[shape]) / 1e6, median(allocated[shape]) / 1024, recordBytes[shape]);
        }
    }

    /**
     * Waits until the kernel has destroyed the veths of the removed containers, which it does in the background
     * once their namespaces are gone, then for the rest of that clean-up, which no file shows and which holds
     * the locks that making a namespace takes (SETTLE, generous on a busy machine): one phase's clean-up must not
     * fall on the next one's figures.
     */
    private static void awaitNoPorts(String bridge) throws IOException, InterruptedException {
        while (true) {
            Process ip = new ProcessBuilder("ip", "-o", "link", "show", "master", bridge).redirectErrorStream(true).start();
            String ports = new String(ip.getInputStream().readAllBytes());
            if (ip.waitFor() == 0 && ports.isBlank()) {
                Thread.sleep(SETTLE_MILLIS);
                return;
            }
            Thread.sleep(50);
        }
    }

    /** The bytes of what the state root records about the container's published ports. */
    private static long firewallBytes(Path root, String container) throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("firewall"))) {
            long total = 0;
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(container + ".")).toList()) {
                total += Files.size(file);
            }
            return total;
        }
    }

    private static ContainerSpec spec(String name, String port) {
        return new ContainerSpec(Optional.of(name), "bench", List.of(PortMapping.parse(port)), Optional.empty(),
                Optional.empty(), Optional.empty(), Map.of(), List.of("true"), true, false, Privileges.dockerDefaults());
    }

    private static double window(long[] nanos, int from) {
        return median(Arrays.copyOfRange(nanos, from, Math.min(nanos.length, from + WINDOW))) / 1e6;
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }
}
