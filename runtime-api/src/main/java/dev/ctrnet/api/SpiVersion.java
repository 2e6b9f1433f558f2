package dev.ctrnet.api;

/**
 * The version of this SPI, which a plugin declares it was built against.
 *
 * <p>The rule: {@link #MAJOR} changes when a public type or signature of this module changes in a way
 * that can break a compiled plugin (a method removed or changed, a method without a default added to
 * an interface plugins implement, a record component changed). {@link #MINOR} changes when something
 * is only added (a new type, a new default method, a new optional value, a method added to an
 * interface marked {@link ProvidedByRuntime}, which plugins call but never implement). A plugin built against
 * {@code MAJOR.x} loads in any runtime with the same {@code MAJOR} and a {@code MINOR >= x}.
 *
 * <p>A plugin jar declares the version it was built against in its manifest's main section, as
 * {@code Ctrnet-Spi-Version: MAJOR.MINOR} (for example {@code Ctrnet-Spi-Version: 2.0}); the runtime
 * refuses a jar without it or with a version it does not {@link #accepts accept}, saying why.
 *
 * <p>History: 2.0 named firewall rule sets per state root ({@link dev.ctrnet.api.firewall.FirewallPlan#name()},
 * {@link NatBackend#remove}) and added {@link dev.ctrnet.api.kernel.Netlink#setBridgePortHairpin}; 2.1 added
 * {@link dev.ctrnet.api.firewall.FirewallPlan#portsMissingFrom}; 2.2 added {@link ServiceName}, with which a driver or
 * backend declares its name so that a clash is refused before any of its code runs,
 * {@link dev.ctrnet.api.firewall.FirewallPlan#forwardingGuard()} (the three-part constructor stays),
 * {@link dev.ctrnet.api.kernel.SysctlKey} with the {@link dev.ctrnet.api.kernel.Sysctl} methods that take one,
 * for interfaces whose names hold a dot,
 * the input grammar ({@link UserInput}, {@link Names#requireHostname}, {@link Names#requireDriverName},
 * {@link dev.ctrnet.api.kernel.LinkRequest#requireMtu}, {@link dev.ctrnet.api.net.Subnets}), and
 * {@link dev.ctrnet.api.kernel.Programs#nftables()}, nftables' library in the runtime's process; 2.3 added
 * {@link dev.ctrnet.api.kernel.Netlink#setIpv6LinkLocal}; 2.4 added {@link NatBackend#missingRules} and
 * {@link dev.ctrnet.api.firewall.MissingRule}, with which {@code ctrnet doctor} asks a backend which of its rules the
 * kernel lacks; 2.5 added IPv6 dual stack: the {@code subnet6}/{@code gateway6} and {@code address6} components of
 * {@link Network}, {@link NetworkSpec} (with {@code ipv6}), {@link Endpoint}, {@link Attachment} and
 * {@link dev.ctrnet.api.firewall.FirewallZone} (their former constructors stay) and
 * {@link dev.ctrnet.api.net.Subnets#requireUsableIpv6}, and {@link dev.ctrnet.api.firewall.FirewallPlan#forwardingGuard6()};
 * 2.6 added {@link NetworkDriver#builtInNetworks}, with which a driver declares the networks that exist without
 * being created, and {@link NatBackend#preference}, with which a backend says how strongly {@code --nat auto}
 * prefers it, so that the runtime names no driver or backend of its own; and richer routes and look-ups whose cost
 * does not grow with the tables: the {@code scope} ({@link dev.ctrnet.api.kernel.RouteScope}),
 * {@code onlink}, {@code metric} and {@code table} components of {@link dev.ctrnet.api.kernel.Route} (its former
 * constructor stays), {@link dev.ctrnet.api.kernel.Netlink#replaceRoute}, {@link dev.ctrnet.api.kernel.Netlink#findRoute},
 * {@link dev.ctrnet.api.kernel.Netlink#findDefaultRoute}, {@link dev.ctrnet.api.kernel.Netlink#listRoutes(int)} and
 * {@link dev.ctrnet.api.kernel.Netlink#listAddresses(String)}, and {@link dev.ctrnet.api.kernel.HostFacts}, which
 * {@link NetworkDriver#validate(Network, dev.ctrnet.api.kernel.HostFacts)} may read;
 * and firewall zones of any topology: {@link dev.ctrnet.api.firewall.HostInterfaces} (a set of names or a
 * name prefix) as {@link dev.ctrnet.api.firewall.FirewallZone#interfaces()} in place of one bridge (the former
 * constructors and {@code bridge()} stay), {@link Attachment#hostInterface()}, with which an attachment adds its
 * host link to its network's zone, and {@link NatBackend#renders}, with which a backend says which zones it can
 * render, so that a network it cannot firewall is refused; and
 * {@link dev.ctrnet.api.firewall.FirewallPlan#withoutPortsOf} and {@link dev.ctrnet.api.firewall.FirewallPlan#portsOf},
 * which find a container's ports by search, so that removing a container does not look at every published port.
 *
 * <p>The rule is enforced by runtime-api's {@code ApiSignatureTest}: the module's public surface is
 * checked in as {@code src/test/resources/api-signature.txt}, and changing it without bumping this
 * version as the rule demands fails the build.
 */
public final class SpiVersion {
    /** Incompatible changes bump this. */
    public static final int MAJOR = 2;
    /** Compatible additions bump this. */
    public static final int MINOR = 6;

    private SpiVersion() {}

    /** Whether a plugin built against {@code major.minor} can run against this SPI. */
    public static boolean accepts(int major, int minor) {
        return major == MAJOR && minor <= MINOR;
    }

    /** This SPI's version as {@code MAJOR.MINOR}. */
    public static String string() {
        return MAJOR + "." + MINOR;
    }
}
