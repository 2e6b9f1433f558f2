package dev.ctrnet.api.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.Network;
import dev.ctrnet.api.testing.Testbed.Container;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Real traffic over what the driver made, with no firewall rules: two containers of one network reach each other,
 * and reach the {@link Outside}, with {@code ping} and over TCP. Every driver whose containers have addresses keeps
 * it; a driver the host routes for also keeps {@link DriverFirewallContract}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Privileged
public abstract class DriverTrafficContract {
    private final DriverUnderTest underTest;
    private Testbed testbed;
    private Container first;
    private Container second;

    /** The contract for {@code underTest}. */
    protected DriverTrafficContract(DriverUnderTest underTest) {
        this.underTest = underTest;
    }

    /** Makes a network with two containers, and listeners in the second container and outside. */
    @BeforeAll
    public void build() {
        testbed = new Testbed(underTest);
        Network network = testbed.network("talk", false);
        first = testbed.container("t1", network);
        second = testbed.container("t2", network);
        second.sandbox().listen(7000);
        testbed.outside().namespace().listen(9000);
    }

    /** Removes what {@link #build()} made. */
    @AfterAll
    public void tearDown() {
        if (testbed != null) {
            testbed.close();
        }
    }

    @Test
    public void containersOfOneNetworkReachEachOther() {
        assertTrue(first.sandbox().reaches(second.address()), "t1 cannot ping t2");
        assertTrue(second.sandbox().reaches(first.address()), "t2 cannot ping t1");
        String answer = first.sandbox().tcp(second.address(), 7000);
        assertTrue(answer.startsWith("ctk-t2-7000 from "), "t1 to t2 over TCP: " + answer);
    }

    @Test
    public void containersReachTheOutside() {
        assertTrue(first.sandbox().reaches(Outside.ADDRESS), "t1 cannot ping the outside");
        String answer = first.sandbox().tcp(Outside.ADDRESS, 9000);
        assertTrue(answer.startsWith("ctk-out-9000 from "), "t1 to the outside over TCP: " + answer);
    }
}
