package dev.ctrnet.core.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ctrnet.api.NetworkDriver;
import dev.ctrnet.api.NetworkSpec;
import dev.ctrnet.api.SpiVersion;
import dev.ctrnet.api.net.Cidr;
import dev.ctrnet.api.testing.Privileged;
import dev.ctrnet.core.Runtime;
import dev.ctrnet.core.RuntimeConfig;
import dev.ctrnet.core.container.ContainerRecord;
import dev.ctrnet.core.container.ContainerSpec;
import dev.ctrnet.core.container.Privileges;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A driver that plans its attachment ({@code NetworkDriver.plannedAttachment}, SPI 2.7): the runtime writes the
 * container's record while the driver's {@code attach} runs, and walks the container back when {@code attach}
 * returns another attachment than the one planned.
 */
@Privileged
class PlannedAttachmentTest {
    /**
     * Plans an attachment with the endpoint's address. Its attach returns that attachment once the container's
     * record exists, which the runtime writes meanwhile (it gives up after 30 s, when the runtime waits for it
     * instead); for a container named {@code other...} it returns another one at once.
     */
    private static final String PLANNER = """
            package example;
            import dev.ctrnet.api.*;
            import dev.ctrnet.api.kernel.Kernel;
            import java.nio.file.Files;
            import java.nio.file.Path;
            import java.util.Map;
            import java.util.Optional;
            public final class PlannerDriver implements NetworkDriver {
                public String name() { return "planner"; }
                public Network validate(Network n) { return n; }
                public void create(Network n, Kernel k) {}
                public void delete(Network n, Kernel k) {}
                public void detach(Network n, Endpoint e, Attachment a, Kernel k, boolean going) {}
                public Optional<Attachment> plannedAttachment(Network n, Endpoint e) {
                    return Optional.of(planned(e));
                }
                public Attachment attach(Network n, Endpoint e, Kernel k) {
                    if (e.container().startsWith("other")) {
                        return Attachment.none();
                    }
                    Path record = Path.of(System.getProperty("planner.root"), "containers", e.container(), "config.json");
                    long deadline = System.nanoTime() + 30_000_000_000L;
                    while (!Files.exists(record)) {
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("the record was not written while attach ran");
                        }
                        try {
                            Thread.sleep(5);
                        } catch (InterruptedException x) {
                            throw new IllegalStateException(x);
                        }
                    }
                    return planned(e);
                }
                private static Attachment planned(Endpoint e) {
                    return new Attachment(Optional.of(e.interfaceName()), e.address(), e.gateway(), Optional.empty(),
                            false, Map.of());
                }
            }
            """;

    @TempDir(factory = RootOnlyTempDir.class)
    Path work;
    Path plugins;
    Path root;

    @BeforeEach
    void pluginAndRoot() throws IOException {
        plugins = Files.createDirectory(work.resolve("plugins"));
        Files.setPosixFilePermissions(plugins, PosixFilePermissions.fromString("rwxr-xr-x"));
        new PluginJars(Files.createDirectory(work.resolve("build"))).jar(plugins, "planner.jar",
                Map.of("example.PlannerDriver", PLANNER), Map.of(NetworkDriver.class.getName(), "example.PlannerDriver"),
                SpiVersion.string());
        root = Files.createTempDirectory(Files.createDirectories(Path.of("/run/ctrnet-test")), "planned");
        System.setProperty("planner.root", root.toString());
    }

    @Test
    void theRecordIsWrittenWhileTheDriverAttachesAndHoldsThePlannedAttachment() throws IOException {
        try (Runtime runtime = open()) {
            ContainerRecord made = runtime.create(spec("planned1"));

            assertEquals(Optional.of(Cidr.parse("10.231.0.2/24")), made.networks().get(0).attachment().address());
            assertEquals(made, runtime.states().get(0).record(), "the record on disk is the one returned");
            runtime.remove("planned1", true);
        }
    }

    @Test
    void anAttachmentOtherThanPlannedWalksTheContainerBack() throws IOException {
        try (Runtime runtime = open()) {
            runtime.create(spec("planned1"));

            RuntimeException e = assertThrows(RuntimeException.class, () -> runtime.create(spec("other1")));

            assertEquals("the planner driver attached other1 otherwise than it planned", e.getMessage());
            assertEquals(List.of("planned1"), runtime.states().stream().map(s -> s.record().name()).toList());
            assertEquals(List.of("10.231.0.2", "last"), names(root.resolve("ipam/plan")), "other1's lease is released");
            assertEquals(1, names(root.resolve("run/netns")).size(), "other1's namespace is gone");
            assertEquals(List.of(), names(root.resolve("run/journal")), "the walk-back ended its journal");
            runtime.remove("planned1", true);
        }
    }

    private Runtime open() {
        Runtime runtime = Runtime.open(RuntimeConfig.forRoot(root, "auto", Optional.of(plugins), Optional.empty()));
        runtime.createNetwork(new NetworkSpec("plan", "planner", Optional.of(Cidr.parse("10.231.0.0/24")),
                Optional.empty(), false, Map.of()));
        return runtime;
    }

    private static ContainerSpec spec(String name) {
        return new ContainerSpec(Optional.of(name), "plan", List.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                Map.of(), List.of("true"), false, false, Privileges.dockerDefaults());
    }

    private static List<String> names(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
