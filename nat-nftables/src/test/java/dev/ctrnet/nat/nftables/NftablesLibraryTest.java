package dev.ctrnet.nat.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.NatBackend;
import dev.ctrnet.api.firewall.FirewallPlan;
import dev.ctrnet.api.kernel.Nftables;
import dev.ctrnet.api.kernel.Programs;
import dev.ctrnet.api.testing.GoldenPlan;
import dev.ctrnet.api.testing.Privileged;
import dev.ctrnet.api.testing.ProcessPrograms;
import dev.ctrnet.api.testing.Shell;
import dev.ctrnet.libnftables.LibraryNftables;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The backend through nftables' library and through the nft program: the same kernel state, the same messages. */
@Privileged
class NftablesLibraryTest {
    private final NftablesUnderTest underTest = new NftablesUnderTest();
    private final NatBackend backend = underTest.backend();
    private final Programs viaLibrary = underTest.programs();
    private final RecordingPrograms viaProgram = new RecordingPrograms(Optional.empty());

    @BeforeEach
    @AfterEach
    void flush() {
        Shell.requireSandbox();
        Shell.ok("nft flush ruleset");
    }

    @Test
    void theLibraryAndTheProgramLeaveTheSameRuleset() {
        assertEquals(ruleset(viaLibrary, GoldenPlan.plan()), ruleset(viaProgram, GoldenPlan.plan()));
        assertEquals(ruleset(viaLibrary, GoldenPlan.withPortsChanged()), ruleset(viaProgram, GoldenPlan.withPortsChanged()));
        assertTrue(viaProgram.commands.contains(List.of("nft", "-f", "-")), viaProgram.commands::toString);
    }

    /** A library that cannot be loaded leaves the program: the backend still works, through nft. */
    @Test
    void withoutTheLibraryTheProgramRuns() {
        Optional<Nftables> missing = LibraryNftables.load("libnftables-missing.so.9");
        assertEquals(Optional.empty(), missing);
        RecordingPrograms programs = new RecordingPrograms(missing);

        assertEquals(Optional.empty(), backend.unavailableReason(programs));
        backend.apply(GoldenPlan.plan(), programs);

        assertEquals(List.of(List.of("nft", "-c", "-f", "-"), List.of("nft", "-f", "-")), programs.commands);
        assertTrue(underTest.holds(GoldenPlan.plan()));
    }

    /** What the kernel or nft's parser refuses reads the same either way, without the program's input position. */
    @ParameterizedTest
    @ValueSource(strings = {"add rule inet nosuch c accept\n", "add table inet t\nadd chain inet t c { type nat hook input priority foo; }\n"})
    void aRefusalReadsTheSameThroughBoth(String script) {
        Programs.Result library = viaLibrary.nftables().orElseThrow().run(script);
        Programs.Result program = viaProgram.run(List.of("nft", "-f", "-"), script);
        assertEquals(1, library.exitCode());
        assertEquals(program.exitCode(), library.exitCode());
        assertEquals(NftablesBackend.firstLine(program.stderr()), NftablesBackend.firstLine(library.stderr()));
        assertTrue(NftablesBackend.firstLine(library.stderr()).startsWith("Error: "), library.stderr());
    }

    private String ruleset(Programs programs, FirewallPlan plan) {
        Shell.ok("nft flush ruleset");
        backend.apply(plan, programs);
        return underTest.normalised(Shell.ok("nft list ruleset"));
    }

    /** The kit's programs, recording which it was asked to run. */
    private static final class RecordingPrograms implements Programs {
        private final ProcessPrograms real;
        private final List<List<String>> commands = new ArrayList<>();

        RecordingPrograms(Optional<Nftables> nftables) {
            this.real = new ProcessPrograms(nftables);
        }

        @Override
        public Result run(List<String> command, String input) {
            commands.add(command);
            return real.run(command, input);
        }

        @Override
        public boolean exists(String program) {
            return real.exists(program);
        }

        @Override
        public Optional<Nftables> nftables() {
            return real.nftables();
        }
    }
}
