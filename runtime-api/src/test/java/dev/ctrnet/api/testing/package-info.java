/**
 * The conformance kits: the contracts every {@link dev.ctrnet.api.NetworkDriver} and every
 * {@link dev.ctrnet.api.NatBackend} keeps, as tests that run against the real kernel in the test sandbox.
 * They ship as runtime-api's test-jar: a driver or backend, ctrnet's own or a third party's, depends on
 * {@code dev.ctrnet:runtime-api} with {@code <type>test-jar</type>} and {@code <scope>test</scope>}.
 *
 * <p><b>Drivers.</b> A driver's tests implement {@link dev.ctrnet.api.testing.DriverUnderTest} once (the driver,
 * the runtime's primitives and undo from runtime-core, and where its networks go) and extend the contracts that
 * apply to it, each with a class of a few lines; the contracts build a {@link dev.ctrnet.api.testing.Testbed}: the
 * test sandbox as the host, an {@link dev.ctrnet.api.testing.Outside}, and a
 * {@link dev.ctrnet.api.testing.Namespace} per container. Networks the host routes for get /26 subnets of
 * 192.0.2.0/24, the outside is 198.51.100.2 behind the host's 198.51.100.1, and the firewall contracts apply their
 * own rule set, {@code ctrnet-kit}.
 * <ul>
 *   <li>{@link dev.ctrnet.api.testing.DriverLifecycleContract}, for every driver: idempotent attach, detach and
 *       delete of what is gone, nothing left ({@link dev.ctrnet.api.testing.NamespaceState}), and a complete undo
 *       when any one kernel change fails ({@link dev.ctrnet.api.testing.FailingKernel});</li>
 *   <li>{@link dev.ctrnet.api.testing.DriverTrafficContract}, for every driver with addresses: containers reach
 *       each other and the outside;</li>
 *   <li>{@link dev.ctrnet.api.testing.DriverFirewallContract}, once per NAT backend, for a driver that declares a
 *       firewall zone: source addresses, masquerade, published ports, isolation and internal networks.</li>
 * </ul>
 *
 * <p><b>NAT backends.</b> A backend implements {@link dev.ctrnet.api.testing.NatBackendUnderTest} once (the
 * backend, and how its own tool lists and flushes its rules), and extends each contract with a class of a few
 * lines:
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
 * <p>The contracts need root, {@code ip}, {@code socat}, {@code ping}, {@code ss}, {@code jq}, {@code nft} and {@code iptables},
 * and must run in a throwaway network namespace (see {@link dev.ctrnet.api.testing.Shell#requireSandbox()}):
 * they build bridges, flush rule sets and send traffic. They are marked {@link dev.ctrnet.api.testing.Privileged};
 * elsewhere (a build without root) {@link dev.ctrnet.api.testing.PrivilegedTests} leaves them out and says how many,
 * and the golden renders, which need no kernel, still run. Their test methods are public so that subclasses in
 * any package inherit them. JUnit 5 and jqwik come with the test classpath, as in ctrnet's own build.
 */
package dev.ctrnet.api.testing;
