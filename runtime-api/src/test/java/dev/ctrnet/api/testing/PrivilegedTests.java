package dev.ctrnet.api.testing;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestTag;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.junit.platform.launcher.PostDiscoveryFilter;

/**
 * Leaves the {@link Privileged} tests out where they cannot run, and says so. Registered with the JUnit
 * Platform through {@code META-INF/services}, so every module whose tests see the kit's test-jar has it.
 *
 * <p>Privileged tests run only in the test sandbox ({@code CTRNET_SANDBOX=1}, set by
 * {@code tools/sandbox/bin/java} for root). Anywhere else a privileged test could only fail, or, worse, touch the
 * machine's own network: so it is not run, and when the test run ends one line says how many were left out, per
 * class, so that a run without root never passes for a full one.
 */
public final class PrivilegedTests implements PostDiscoveryFilter, LauncherSessionListener {
    private static final TestTag TAG = TestTag.create(Privileged.TAG);
    /**
     * The test methods left out, by id, with their class. Keyed so that each counts once: surefire discovers each
     * class on its own before it discovers them all again to run them. Shared because the launcher makes one
     * instance of this class as a filter and another as a listener.
     */
    private static final Map<UniqueId, String> LEFT_OUT = new ConcurrentHashMap<>();

    /** Whether privileged tests can run here: inside the throwaway namespace of the test sandbox. */
    public static boolean canRun() {
        return "1".equals(System.getenv("CTRNET_SANDBOX"));
    }

    @Override
    public FilterResult apply(TestDescriptor test) {
        if (canRun() || !test.getTags().contains(TAG)) {
            return FilterResult.included("runs here");
        }
        // the launcher asks about a class too once its methods are gone; only methods are counted
        if (test.getSource().filter(MethodSource.class::isInstance).isPresent()) {
            LEFT_OUT.put(test.getUniqueId(), testClass(test));
        }
        return FilterResult.excluded("privileged: needs root in the test sandbox");
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (LEFT_OUT.isEmpty()) {
            return;
        }
        Map<String, Integer> perClass = new TreeMap<>();
        LEFT_OUT.values().forEach(name -> perClass.merge(name, 1, Integer::sum));
        System.out.println("ctrnet: NOT RUN: " + LEFT_OUT.size() + " privileged test" + (LEFT_OUT.size() == 1 ? "" : "s")
                + " (they need root and the test sandbox; tools/test.sh, as root, runs every test): "
                + perClass.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                        .collect(Collectors.joining(", ")));
        LEFT_OUT.clear();
    }

    /** The simple name of the class that runs {@code test}: a contract's method counts for its subclass. */
    private static String testClass(TestDescriptor test) {
        for (Optional<TestDescriptor> d = Optional.of(test); d.isPresent(); d = d.get().getParent()) {
            if (d.get().getSource().orElse(null) instanceof ClassSource type) {
                return type.getJavaClass().getSimpleName();
            }
        }
        String declaring = ((MethodSource) test.getSource().orElseThrow()).getClassName();
        return declaring.substring(declaring.lastIndexOf('.') + 1);
    }
}
