package dev.ctrnet.driver.bridge;

import dev.ctrnet.api.UserInput;
import dev.ctrnet.api.kernel.LinkRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The bridge driver's options, by their short names or Docker's long ones.
 *
 * @param bridge the bridge device's name
 * @param mtu the containers' MTU, or the host's default-route interface's
 * @param masquerade whether traffic to the outside is masqueraded
 * @param interContainer whether containers of the network may reach one another
 */
record BridgeOptions(String bridge, Optional<Integer> mtu, boolean masquerade, boolean interContainer) {
    static final String BRIDGE = "bridge";
    static final String MTU = "mtu";
    static final String MASQUERADE = "masquerade";
    static final String ICC = "icc";

    /** Docker's names for the same options, accepted so that Docker users' habits work. */
    private static final Map<String, String> DOCKER_NAMES = Map.of(
            "com.docker.network.bridge.name", BRIDGE,
            "com.docker.network.driver.mtu", MTU,
            "com.docker.network.bridge.enable_ip_masquerade", MASQUERADE,
            "com.docker.network.bridge.enable_icc", ICC);

    /** Parses the user's options; {@code defaultBridge} names the bridge when no option does. */
    static BridgeOptions parse(Map<String, String> options, String defaultBridge) {
        Map<String, String> byShortName = new LinkedHashMap<>();
        options.forEach((key, value) -> {
            String name = DOCKER_NAMES.getOrDefault(key, key);
            if (!name.equals(BRIDGE) && !name.equals(MTU) && !name.equals(MASQUERADE) && !name.equals(ICC)) {
                throw new IllegalArgumentException("unknown bridge option " + UserInput.quote(key)
                        + ": use bridge=NAME, mtu=N, masquerade=true|false or icc=true|false");
            }
            byShortName.put(name, value);
        });
        String bridge = LinkRequest.requireName(byShortName.getOrDefault(BRIDGE, defaultBridge));
        Optional<Integer> mtu = Optional.ofNullable(byShortName.get(MTU)).map(BridgeOptions::parseMtu);
        return new BridgeOptions(bridge, mtu, bool(byShortName, MASQUERADE), bool(byShortName, ICC));
    }

    /** The options as stored with the network. */
    Map<String, String> asMap() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(BRIDGE, bridge);
        mtu.ifPresent(m -> out.put(MTU, Integer.toString(m)));
        out.put(MASQUERADE, Boolean.toString(masquerade));
        out.put(ICC, Boolean.toString(interContainer));
        return out;
    }

    private static boolean bool(Map<String, String> options, String key) {
        String value = options.getOrDefault(key, "true");
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException("option " + key + " is true or false, not " + UserInput.quote(value));
        }
        return Boolean.parseBoolean(value);
    }

    /** ASCII digits only: {@link Integer#parseInt} would also take a sign and other scripts' digits. */
    private static int parseMtu(String value) {
        if (value.matches("[0-9]{1,5}")) {
            try {
                return LinkRequest.requireMtu(Integer.parseInt(value));
            } catch (IllegalArgumentException e) {
                // the sentence below names the option
            }
        }
        throw new IllegalArgumentException("option mtu is a number from 68 to 65535, not " + UserInput.quote(value));
    }
}
