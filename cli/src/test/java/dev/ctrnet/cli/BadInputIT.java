package dev.ctrnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ctrnet.api.testing.Privileged;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 8's bad inputs, through the real CLI on a host with a network and a running container that
 * publishes a port: each is refused with one {@code ctrnet: …} line and a non-zero exit, and nothing
 * changes — not a file under the state root, a link, a namespace or a rule. The built-in networks are
 * not made yet, so a command that made one on its way to a refusal would show.
 */
@Privileged
class BadInputIT {
    private static final Ctrnet CTRNET = new Ctrnet(Path.of("/run/ctrnet-test/bad-input-it"));

    @BeforeAll
    static void aHostInUse() {
        TestHost.ensure();
        CTRNET.ok("network", "create", "--subnet", "10.91.0.0/24", "lan");
        CTRNET.ok("run", "-d", "--name", "web", "--network", "lan", "-p", "8091:80", "--", "sleep", "600");
        // a new bridge's state settles once its first port forwards: compare from there
        String bridge = (String) Json.object(CTRNET.ok("network", "inspect", "lan")).get("bridge");
        if (!Eventually.holds(() -> Shell.run(List.of("ip", "-j", "link", "show", bridge)).ok().out()
                .contains("\"operstate\":\"UP\""))) {
            throw new AssertionError("bridge " + bridge + " did not come up");
        }
    }

    @AfterAll
    static void removeIt() {
        CTRNET.ok("rm", "-f", "web");
        CTRNET.ok("network", "rm", "lan");
    }

    @Test
    void aNatBackendThatDoesNotExist() {
        assertRefusedAndNothingChanged("--nat", "bogus", "ps");
    }

    @Test
    void aStateRootThatIsARegularFile() throws IOException {
        Path file = Files.writeString(Path.of("/run/ctrnet-test/bad-input-it-file"), "not a folder\n");
        HostSnapshot before = HostSnapshot.of(file);
        Shell.run(List.of(Ctrnet.REPO.resolve("bin/ctrnet").toString(), "--root", file.toString(), "ps")).refused();
        assertUnchanged(before, () -> HostSnapshot.of(file));
    }

    /** An empty root would be the working folder: ctrnet runs in a folder of the test's own, which stays empty. */
    @Test
    void anEmptyStateRoot() throws IOException {
        Path workingFolder = Files.createDirectories(Path.of("/run/ctrnet-test/bad-input-it-cwd"));
        HostSnapshot before = HostSnapshot.of(workingFolder);
        Shell.run(List.of("sh", "-c", "cd \"$1\" && exec \"$2\" --root '' ps", "sh", workingFolder.toString(),
                Ctrnet.REPO.resolve("bin/ctrnet").toString())).refused();
        assertUnchanged(before, () -> HostSnapshot.of(workingFolder));
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.0/8", "127.10.0.0/16", "0.0.0.0/8", "224.0.0.0/24", "255.255.255.0/24"})
    void aSubnetNoNetworkMayHave(String subnet) {
        assertRefusedAndNothingChanged("network", "create", "--subnet", subnet, "odd");
    }

    @Test
    void aGatewayWithoutASubnet() {
        assertRefusedAndNothingChanged("network", "create", "--gateway", "10.9.9.9", "odd");
    }

    @Test
    void aSubnetWithoutAPrefix() {
        assertRefusedAndNothingChanged("network", "create", "--subnet", "10.0.0.0", "odd");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--name", "--hostname"})
    void aNameWithANewline(String option) {
        assertRefusedAndNothingChanged("run", option, "a\nb", "--", "true");
        assertRefusedAndNothingChanged("run", option, "ab\n", "--", "true");
    }

    @Test
    void aNetworkNameWithANewline() {
        assertRefusedAndNothingChanged("network", "create", "a\nb");
    }

    @Test
    void aNameOutsideAscii() {
        assertRefusedAndNothingChanged("run", "--name", "ä", "--", "true");
    }

    @ParameterizedTest
    @ValueSource(strings = {"host", "none"})
    void aPublishedPortOnANetworkWithoutPorts(String network) {
        assertRefusedAndNothingChanged("run", "--network", network, "-p", "8092:80", "--", "true");
        assertRefusedAndNothingChanged("run", "-d", "--network", network, "-p", "8092:80", "--", "sleep", "60");
    }

    @Test
    void anEmptyRootfs() {
        assertRefusedAndNothingChanged("run", "--rootfs", "", "--", "true");
    }

    @Test
    void aRootfsThatIsAnEmptyFolder() throws IOException {
        Path empty = Files.createDirectories(Path.of("/run/ctrnet-test/bad-input-it-empty-rootfs"));
        assertRefusedAndNothingChanged("run", "--rootfs", empty.toString(), "--", "true");
        assertRefusedAndNothingChanged("run", "-d", "--rootfs", empty.toString(), "--", "true");
    }

    /** Refused once its namespaces exist (the address is leased after them): they are walked back. */
    @Test
    void anAddressThatIsTaken() {
        String taken = (String) CTRNET.inspect("web").get("ip");
        assertRefusedAndNothingChanged("run", "--network", "lan", "--ip", taken, "--", "true");
    }

    /** Refused once the container exists and its process ended: everything made for it is removed. */
    @Test
    void aCommandThatCannotStart() {
        assertRefusedAndNothingChanged("run", "-d", "--network", "lan", "-e", "PATH=/nonexistent", "--", "sleep", "1");
    }

    /** The input is quoted in the message, escaped, on the one line. */
    @Test
    void inputWithLineBreaksIsQuotedOnOneLine() {
        String line = CTRNET.run("run", "--name", "a\nb\u001b[2J", "--", "true").refused().err().strip();
        assertEquals("ctrnet: 'a\\nb\\u001b[2J' is not a valid container name: use 1 to 128 ASCII letters, digits, '_',"
                + " '.' and '-', starting with a letter or digit", line);
    }

    private static void assertRefusedAndNothingChanged(String... args) {
        HostSnapshot before = HostSnapshot.of(CTRNET.root());
        CTRNET.run(args).refused();
        assertUnchanged(before, () -> HostSnapshot.of(CTRNET.root()));
    }

    /**
     * The kernel destroys a removed container's veth in the background, and the bridge's address follows its
     * ports, so what a refusal walked back may take a moment to be gone.
     */
    private static void assertUnchanged(HostSnapshot before, Supplier<HostSnapshot> after) {
        Eventually.holds(() -> after.get().equals(before));
        assertEquals("", after.get().differencesFrom(before), "the refused command changed something");
    }
}
