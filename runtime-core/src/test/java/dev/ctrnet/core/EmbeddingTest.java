package dev.ctrnet.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.testing.Privileged;
import dev.ctrnet.core.container.ContainerRecord;
import dev.ctrnet.core.container.ContainerSpec;
import dev.ctrnet.core.container.ContainerState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The README's embedding example, as written there (with a state root of the test's own). */
@Privileged
class EmbeddingTest {
    @Test
    void theReadmeSnippetRunsAContainerAndRemovesIt() throws Exception {
        Path root = Path.of("/run/ctrnet-test/embedding");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true);
        // --- from README.md, System.out replaced by out ---
        RuntimeConfig config = RuntimeConfig.forRoot(root, "auto", Optional.empty(), Optional.empty());
        try (Runtime runtime = Runtime.open(config)) {
            ContainerRecord created = runtime.create(ContainerSpec.of("bridge", List.of("sleep", "60")));
            ContainerState state = runtime.startDetached(created);
            out.println(state.record().name() + " has " + state.record().networks().get(0).attachment().address().orElseThrow());
            runtime.remove(created.name(), true);
        }
        // ---
        String line = printed.toString().trim();
        assertTrue(line.matches("\\S+ has 172\\.17\\.0\\.\\d+/16"), line);
        try (var s = Files.list(root.resolve("containers"))) {
            assertFalse(s.findAny().isPresent(), "the container's record is gone");
        }
        try (Runtime runtime = Runtime.open(RuntimeConfig.forRoot(root, "auto", Optional.empty(), Optional.empty()))) {
            assertEquals(List.of(), runtime.states());
        }
    }

    @Test
    void twoThreadsOfOneProgramTakeTurnsInsteadOfFailing() throws Exception {
        Path root = Path.of("/run/ctrnet-test/embedding-threads");
        try (Runtime runtime = Runtime.open(RuntimeConfig.forRoot(root, "auto", Optional.empty(), Optional.empty()))) {
            var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                var first = pool.submit(() -> runtime.create(ContainerSpec.of("bridge", List.of("true"))));
                var second = pool.submit(() -> runtime.create(ContainerSpec.of("bridge", List.of("true"))));
                ContainerRecord a = first.get();
                ContainerRecord b = second.get();
                assertFalse(a.networks().get(0).attachment().address().equals(b.networks().get(0).attachment().address()),
                        "two containers, two addresses");
                runtime.remove(a.name(), true);
                runtime.remove(b.name(), true);
            } finally {
                pool.shutdownNow();
            }
            assertEquals(List.of(), runtime.states());
        }
    }
}
