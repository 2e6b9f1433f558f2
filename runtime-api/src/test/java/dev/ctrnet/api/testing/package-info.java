/**
 * The NAT backend conformance kit: the contract every {@link dev.ctrnet.api.NatBackend} keeps, as tests
 * that run against the real kernel in the test sandbox.
 *
 * <p>It ships as runtime-api's test-jar. A backend, ctrnet's own or a third party's, depends on
 * {@code dev.ctrnet:runtime-api} with {@code <type>test-jar</type>} and {@code <scope>test</scope>},
 * implements {@link dev.ctrnet.api.testing.NatBackendUnderTest} once (the backend, and how its own tool
 * lists and flushes its rules), and extends each contract with a class of a few lines:
 * <ul>
 *   <li>{@link dev.ctrnet.api.testing.NatBackendTrafficContract}: real traffic through one plan's rules in
 *       {@link dev.ctrnet.api.testing.Topology};</li>
 *   <li>{@link dev.ctrnet.api.testing.NatBackendSideBySideContract}: two state roots' rule sets at once;</li>
 *   <li>{@link dev.ctrnet.api.testing.NatBackendPropertiesContract}: idempotency, updates, repair and
 *       independence over generated plans ({@link dev.ctrnet.api.testing.Plans}), with jqwik;</li>
 *   <li>{@link dev.ctrnet.api.testing.NatBackendForeignRulesContract}: rules it did not create stay;</li>
 *   <li>{@link dev.ctrnet.api.testing.NatBackendGoldenContract}: its rendering of the fixed
 *       {@link dev.ctrnet.api.testing.GoldenPlan} equals golden files the backend checks in itself, and the
 *       kernel's parser accepts it.</li>
 * </ul>
 *
 * <p>The contracts need root, {@code ip}, {@code socat}, {@code ping}, {@code nft} and {@code iptables},
 * and must run in a throwaway network namespace (see {@link dev.ctrnet.api.testing.Shell#requireSandbox()}):
 * they build bridges, flush rule sets and send traffic. They are marked {@link dev.ctrnet.api.testing.Privileged};
 * elsewhere (a build without root) {@link dev.ctrnet.api.testing.PrivilegedTests} leaves them out and says how many,
 * and the golden renders, which need no kernel, still run. Their test methods are public so that subclasses in
 * any package inherit them. JUnit 5 and jqwik come with the test classpath, as in ctrnet's own build.
 */
package dev.ctrnet.api.testing;
