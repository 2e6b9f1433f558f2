package dev.ctrnet.api.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ctrnet.api.Attachment;
import dev.ctrnet.api.Network;
import dev.ctrnet.api.NetworkDriver;
import dev.ctrnet.api.testing.Testbed.Container;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every driver owes the runtime around its calls, checked on the kernel of the test sandbox: {@code attach}
 * is idempotent, {@code detach} and {@code delete} succeed when what they remove is gone, nothing is left once
 * every container is detached and the network deleted, and when any one kernel change of {@code create} or
 * {@code attach} fails, the runtime's undo leaves the host and the container as they were. What is "left" is
 * what {@link NamespaceState} lists: links, addresses, routes, rules, namespaces and sysctls.
 */
@Privileged
public abstract class DriverLifecycleContract {
    private final DriverUnderTest underTest;
    private final NetworkDriver driver;
    private Testbed testbed;
    /** The host before the test made any network. */
    private NamespaceState bare;

    /** The contract for {@code underTest}. */
    protected DriverLifecycleContract(DriverUnderTest underTest) {
        this.underTest = underTest;
        this.driver = underTest.driver();
    }

    /** Builds the outside, and notes what the host holds. */
    @BeforeEach
    public void build() {
        testbed = new Testbed(underTest);
        bare = NamespaceState.ofHost();
    }

    /** Removes what the test made, also after a failure. */
    @AfterEach
    public void tearDown() {
        testbed.close();
    }

    @Test
    public void attachTwiceIsIdempotent() {
        Network network = testbed.network("lidem", false);
        Container container = testbed.container("l1", network);
        NamespaceState host = NamespaceState.ofHost();
        NamespaceState inside = container.sandbox().state();

        Attachment again = testbed.attachAgain(container);

        assertEquals(container.attachment(), again, "the second attach describes another attachment");
        NamespaceState.assertReturnsTo(host, NamespaceState::ofHost, "the host after the second attach");
        NamespaceState.assertReturnsTo(inside, container.sandbox()::state, "the container after the second attach");
    }

    @Test
    public void detachAndDeleteSucceedWhenAlreadyGone() {
        Network network = testbed.network("lgone", false);
        Container container = testbed.container("l1", network);

        testbed.detach(container, false);
        testbed.detach(container, false);
        testbed.detach(container, true);
        testbed.delete(network);
        testbed.delete(network);

        NamespaceState.assertReturnsTo(bare, NamespaceState::ofHost, "the host after detach and delete");
    }

    /** One container leaves its namespace (network disconnect), the other goes with its namespace (rm). */
    @Test
    public void nothingIsLeftAfterDetachAndDelete() {
        Network network = testbed.network("lleft", false);
        Namespace staying = testbed.sandbox("l1");
        NamespaceState fresh = staying.state();
        Container disconnected = testbed.attach("l1", staying, network);
        Container removed = testbed.container("l2", network);

        testbed.detach(disconnected, false);
        NamespaceState.assertReturnsTo(fresh, staying::state, "the container's namespace after detach");
        testbed.detach(removed, true);
        testbed.removeSandbox("l1");
        testbed.delete(network);

        NamespaceState.assertReturnsTo(bare, NamespaceState::ofHost, "the host after detach and delete");
    }

    @Test
    public void undoAfterAFailedCreateIsComplete() {
        Network network = testbed.planned("lundo", false);
        FailingKernel counting = FailingKernel.never();
        testbed.run(counting, kernel -> driver.create(network, kernel));
        if (counting.changes() == 0) {
            // a driver with no host-side objects of its own (macvlan): nothing to undo, and nothing changed either
            NamespaceState.assertReturnsTo(bare, NamespaceState::ofHost, "the host after a create that changed nothing");
        }
        testbed.delete(network);
        NamespaceState.assertReturnsTo(bare, NamespaceState::ofHost, "the host after create and delete");

        for (int n = 1; n <= counting.changes(); n++) {
            FailingKernel failure = FailingKernel.atChange(n);
            assertThrows(RuntimeException.class, () -> testbed.run(failure, kernel -> driver.create(network, kernel)),
                    "create succeeded although its change " + n + " failed");
            assertTrue(failure.injected());
            NamespaceState.assertReturnsTo(bare, NamespaceState::ofHost,
                    "the host after create failed at change " + n + " of " + counting.changes());
        }
    }

    @Test
    public void undoAfterAFailedAttachIsComplete() {
        Network network = testbed.network("lfail", false);
        NamespaceState created = NamespaceState.ofHost();
        FailingKernel counting = FailingKernel.never();
        testbed.detach(testbed.attach("l1", testbed.sandbox("l1"), network, counting), true);
        NamespaceState.assertReturnsTo(created, NamespaceState::ofHost, "the host after detach");
        assertTrue(counting.changes() > 0, "attach changed nothing: there is no undo to check");

        for (int n = 1; n <= counting.changes(); n++) {
            Namespace sandbox = testbed.sandbox("l1");
            NamespaceState fresh = sandbox.state();
            NamespaceState host = NamespaceState.ofHost();
            FailingKernel failure = FailingKernel.atChange(n);
            assertThrows(RuntimeException.class, () -> testbed.attach("l1", sandbox, network, failure),
                    "attach succeeded although its change " + n + " failed");
            assertTrue(failure.injected());
            String after = " after attach failed at change " + n + " of " + counting.changes();
            NamespaceState.assertReturnsTo(fresh, sandbox::state, "the container" + after);
            NamespaceState.assertReturnsTo(host, NamespaceState::ofHost, "the host" + after);
            testbed.removeSandbox("l1");
        }
    }
}
