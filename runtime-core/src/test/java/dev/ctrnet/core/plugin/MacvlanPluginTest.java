package dev.ctrnet.core.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.NetworkSpec;
import dev.ctrnet.api.kernel.Programs;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.net.IpAddresses;
import dev.ctrnet.api.testing.Privileged;
import dev.ctrnet.core.Runtime;
import dev.ctrnet.core.RuntimeConfig;
import dev.ctrnet.core.container.ContainerRecord;
import dev.ctrnet.core.container.ContainerSpec;
import dev.ctrnet.core.container.Privileges;
import dev.ctrnet.core.kernel.ProcessPrograms;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example external driver end to end, as a third party would use it: built on its own with
 * Maven, its jar dropped in a fresh plugin folder, a network made with it on a parent interface, two
 * containers that ping each other, and nothing left once everything is removed. Runs in the test
 * sandbox's throwaway network namespace.
 */
@Privileged
class MacvlanPluginTest {
    /** This kernel has no dummy links; a veth whose peer is up gives the parent a carrier just as well. */
    private static final String PARENT = "mvparent0";

    @TempDir(factory = RootOnlyTempDir.class)
    Path work;

    @AfterEach
    void removeParent() throws Exception {
        run(List.of("ip", "link", "del", PARENT), false);
    }

    @Test
    void twoContainersOnAMacvlanNetworkReachEachOtherAndLeaveNothingBehind() throws Exception {
        Path pluginDir = Files.createDirectory(work.resolve("plugins"));
        Files.setPosixFilePermissions(pluginDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jar = pluginDir.resolve("ctrnet-driver-macvlan.jar");
        Files.copy(buildExample(), jar, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
        run(List.of("ip", "link", "add", PARENT, "type", "veth", "peer", "name", PARENT + "p"), true);
        run(List.of("ip", "link", "set", PARENT, "up"), true);
        run(List.of("ip", "link", "set", PARENT + "p", "up"), true);
        // under the sandbox's /run: the runtime keeps its netns and uts folders mounted, which a temp dir could not delete
        Path root = Files.createTempDirectory(Files.createDirectories(Path.of("/run/ctrnet-test")), "macvlan");

        try (Runtime runtime = Runtime.open(RuntimeConfig.forRoot(root, "auto", Optional.of(pluginDir), Optional.empty()))) {
            assertEquals(List.of(), runtime.catalog().problems());
            assertEquals(jar.toString(), runtime.catalog().drivers().stream()
                    .filter(e -> e.service().name().equals("macvlan")).findFirst().orElseThrow().origin());

            RuntimeException noParent = assertThrows(RuntimeException.class, () -> runtime.createNetwork(new NetworkSpec(
                    "nope", "macvlan", Optional.empty(), Optional.empty(), false, Map.of("parent", "nosuch0"))));
            assertEquals("parent interface nosuch0 does not exist on this host: name an existing one with"
                    + " --opt parent=INTERFACE", noParent.getMessage());
            assertFalse(Files.exists(root.resolve("networks").resolve("nope.json")), "a failed create leaves no record");

            runtime.createNetwork(new NetworkSpec("mv", "macvlan", Optional.of(Cidr.parse("192.0.2.0/24")),
                    Optional.of(IpAddresses.parse("192.0.2.1")), false, Map.of("parent", PARENT)));
            ContainerRecord a = start(runtime, "a");
            ContainerRecord b = start(runtime, "b");

            String ping = run(List.of("nsenter", "--net=" + a.netns().orElseThrow(), "ping", "-c1", "-W2", ip(b)), true);
            assertTrue(ping.contains("1 received"), ping);

            runtime.remove("a", true);
            runtime.remove("b", true);
            runtime.removeNetwork("mv");
        }

        assertEquals(List.of(), linksOfKind("macvlan", List.of("ip", "-j", "-d", "link")));
        assertEquals(List.of(), entries(root.resolve("containers")), "container records left");
        assertEquals(List.of(), entries(root.resolve("ipam").resolve("mv")), "leases left");
        assertEquals(List.of(), entries(root.resolve("run").resolve("netns")), "namespace mounts left");
        assertFalse(Files.exists(root.resolve("networks").resolve("mv.json")), "network record left");
    }

    private static ContainerRecord start(Runtime runtime, String name) {
        ContainerRecord record = runtime.create(new ContainerSpec(Optional.of(name), "mv", List.of(), Optional.empty(),
                Optional.empty(), Optional.empty(), Map.of(), List.of("sleep", "30"), true, false,
                Privileges.dockerDefaults()));
        runtime.startDetached(record);
        return record;
    }

    private static String ip(ContainerRecord record) {
        return IpAddresses.format(record.networks().get(0).attachment().address().orElseThrow().address());
    }

    /**
     * Builds examples/driver-macvlan's jar with Maven, offline, apart from the reactor, as its users would. Only
     * the goals that make the jar run: its tests (the driver kit's, which the reactor runs against this build)
     * would need this build's runtime-core in the local repository, which is installed only after these tests.
     */
    private static Path buildExample() throws Exception {
        Path project = Path.of(System.getProperty("ctrnet.repo", "..")).resolve("examples/driver-macvlan");
        run(List.of("mvn", "-B", "-q", "-o", "-f", project.resolve("pom.xml").toString(), "resources:resources",
                "compiler:compile", "jar:jar"), true);
        return project.resolve("target/ctrnet-driver-macvlan.jar");
    }

    private static List<String> linksOfKind(String kind, List<String> command) throws Exception {
        List<String> names = new ArrayList<>();
        String json = run(command, true);
        // ip -j -d prints "linkinfo":{"info_kind":"macvlan",...} per link; the names are enough here
        for (String link : json.split("\\{\"ifindex\"")) {
            if (link.contains("\"info_kind\":\"" + kind + "\"")) {
                names.add(link.replaceAll("(?s).*?\"ifname\":\"([^\"]*)\".*", "$1"));
            }
        }
        return names;
    }

    private static List<Path> entries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    /** Through the runtime's runner; generous, as one of these builds the example with Maven. */
    private static String run(List<String> command, boolean check) {
        Programs.Result result = new ProcessPrograms(Duration.ofMinutes(5)).run(command, "");
        String out = result.stdout() + result.stderr();
        int status = result.exitCode();
        if (check && status != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (" + status + "): " + out);
        }
        return out;
    }
}
