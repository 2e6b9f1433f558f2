package dev.ctrnet.core.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ctrnet.api.NatBackend;
import dev.ctrnet.api.testing.Privileged;
import dev.ctrnet.api.Network;
import dev.ctrnet.api.NetworkDriver;
import dev.ctrnet.api.NetworkSpec;
import dev.ctrnet.core.CtrnetException;
import dev.ctrnet.core.Runtime;
import dev.ctrnet.core.RuntimeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the core learns from the drivers and backends instead of naming them: the networks that exist without being
 * created, which drivers declare, and the order in which {@code --nat auto} tries the backends, which their
 * preferences give. The runtime's own drivers and backends are on the class path; others come as plugins.
 */
@Privileged
class DriverDeclarationsTest {
    private static final ClassLoader BUILT_IN = DriverDeclarationsTest.class.getClassLoader();

    /** A driver's built-in networks: one of its own, and one whose name the runtime's bridge driver took first. */
    private static final String LAB_NETWORKS = """
                public List<NetworkSpec> builtInNetworks(String scope) {
                    return List.of(new NetworkSpec("lab", name(), Optional.empty(), Optional.empty(), false, Map.of()),
                            new NetworkSpec("bridge", name(), Optional.empty(), Optional.empty(), false, Map.of()));
                }
            """;

    @TempDir(factory = RootOnlyTempDir.class)
    Path work;
    Path dir;
    PluginJars jars;

    @BeforeEach
    void folder() throws IOException {
        dir = Files.createDirectory(work.resolve("plugins"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        jars = new PluginJars(Files.createDirectory(work.resolve("build")));
    }

    @Test
    void theRuntimesOwnDriversDeclareBridgeHostAndNoneWithTheDefaultBridgeNamedAfterTheRoot() {
        DriverCatalog catalog = load();

        Map<String, NetworkSpec> networks = catalog.builtInNetworks("");
        assertEquals(Set.of("bridge", "host", "none"), networks.keySet());
        networks.forEach((name, spec) -> assertEquals(name, spec.driver(), "each is its own driver's"));
        assertEquals(Map.of("bridge", "ctrnet0"), networks.get("bridge").options(), "as Docker's docker0");
        assertEquals(Map.of(), networks.get("host").options());
        assertEquals(Map.of(), networks.get("none").options());
        assertEquals(Map.of("bridge", "ctrneta1b2c30"), catalog.builtInNetworks("a1b2c3").get("bridge").options(),
                "another state root, another bridge");
    }

    @Test
    void aPluginDriverDeclaresANetworkOfItsOwnButCannotTakeTheNameOfAnEarlierOne() throws IOException {
        jars.with(dir, "lab.jar", NetworkDriver.class, "labdrv", LAB_NETWORKS);

        Map<String, NetworkSpec> networks = load().builtInNetworks("");

        assertEquals(Set.of("bridge", "host", "none", "lab"), networks.keySet());
        assertEquals("labdrv", networks.get("lab").driver());
        assertEquals("bridge", networks.get("bridge").driver(), "the runtime's own drivers come first");
    }

    @Test
    void aDriverDeclaringANetworkOfAnotherDriverIsNamed() throws IOException {
        Path jar = jars.with(dir, "thief.jar", NetworkDriver.class, "thiefdrv", """
                    public List<NetworkSpec> builtInNetworks(String scope) {
                        return List.of(new NetworkSpec("loot", "bridge", Optional.empty(), Optional.empty(), false,
                                Map.of()));
                    }
                """);

        CtrnetException e = assertThrows(CtrnetException.class, () -> load().builtInNetworks(""));

        assertEquals("network driver thiefdrv (" + jar + ") declares built-in network loot of driver bridge: a driver"
                + " declares only its own networks", e.getMessage());
    }

    @Test
    void backendsAreTriedMostPreferredFirstAndInTheOrderFoundAmongEquals() throws IOException {
        jars.with(dir, "a-plain.jar", NatBackend.class, "plainnat", "");
        jars.with(dir, "b-top.jar", NatBackend.class, "topnat", "public int preference() { return 30; }");
        jars.with(dir, "c-plain.jar", NatBackend.class, "othernat", "");

        List<String> order = load().backendsByPreference().stream().map(e -> e.service().name()).toList();

        assertEquals(List.of("topnat", "nftables", "iptables", "plainnat", "othernat"), order);
    }

    @Test
    void theRuntimeListsADeclaredNetworkKeepsItAndChoosesTheMostPreferredBackend() throws IOException {
        jars.with(dir, "lab.jar", NetworkDriver.class, "labdrv", LAB_NETWORKS);
        jars.with(dir, "top.jar", NatBackend.class, "topnat", "public int preference() { return 30; }");
        Path root = Files.createTempDirectory(Files.createDirectories(Path.of("/run/ctrnet-test")), "declared");

        try (Runtime runtime = Runtime.open(RuntimeConfig.forRoot(root, "auto", Optional.of(dir), Optional.empty()))) {
            assertEquals(List.of("bridge", "host", "lab", "none"), runtime.networks().stream().map(Network::name).toList());
            assertEquals("ctrnet" + runtime.config().scope() + "0", runtime.network("bridge").option("bridge").orElseThrow());
            assertEquals("network lab already exists", assertThrows(CtrnetException.class, () -> runtime.createNetwork(
                    new NetworkSpec("lab", "labdrv", Optional.empty(), Optional.empty(), false, Map.of()))).getMessage());
            assertEquals("lab is a pre-defined network and cannot be removed",
                    assertThrows(CtrnetException.class, () -> runtime.removeNetwork("lab")).getMessage());
            assertEquals("topnat", runtime.natBackend());
        }
    }

    private DriverCatalog load() {
        return DriverCatalog.load(BUILT_IN, PluginDirectory.named(dir));
    }
}
