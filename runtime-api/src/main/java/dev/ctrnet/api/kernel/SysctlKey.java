package dev.ctrnet.api.kernel;

import java.util.Arrays;
import java.util.List;

/**
 * A kernel parameter, as the path of its file under {@code /proc/sys}: {@code net.ipv4.ip_forward} is
 * {@code [net, ipv4, ip_forward]}. The segments are kept apart, so an interface whose name holds a dot
 * (a VLAN such as {@code up0.5}) stays one segment: {@code net.ipv4.conf.up0.5.route_localnet} is
 * {@code /proc/sys/net/ipv4/conf/up0.5/route_localnet}, not a path four levels deeper.
 *
 * @param segments the folders and the file under {@code /proc/sys}, each of {@code [A-Za-z0-9_.-]} and
 *     neither {@code .} nor {@code ..}, so a key never names a file outside that tree
 */
public record SysctlKey(List<String> segments) {
    public SysctlKey {
        segments = List.copyOf(segments);
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("a sysctl key names at least one file");
        }
        for (String segment : segments) {
            if (!segment.matches("[A-Za-z0-9_.\\-]+") || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("'" + segment + "' cannot be part of a sysctl key");
            }
        }
    }

    /** The key written with dots, where no segment holds a dot: {@code net.ipv4.ip_forward}. */
    public static SysctlKey parse(String dotted) {
        return new SysctlKey(Arrays.asList(dotted.split("\\.", -1)));
    }

    /**
     * A parameter of one interface: {@code net.FAMILY.conf.INTERFACE.NAME}, for example
     * {@code ofInterface("ipv4", "up0.5", "route_localnet")}.
     */
    public static SysctlKey ofInterface(String family, String interfaceName, String name) {
        return new SysctlKey(List.of("net", family, "conf", interfaceName, name));
    }

    /** The key as {@code sysctl(8)} prints it, with dots: {@code net.ipv4.conf.up0.5.route_localnet}. */
    @Override
    public String toString() {
        return String.join(".", segments);
    }
}
