package dev.ctrnet.examples.macvlan;

import dev.ctrnet.api.kernel.LinkKind.MacvlanMode;
import dev.ctrnet.api.kernel.LinkRequest;
import java.util.Locale;
import java.util.Map;

/**
 * The macvlan driver's options ({@code --opt KEY=VALUE}).
 *
 * @param parent the host interface whose segment the containers join
 * @param mode how the containers' interfaces may reach one another
 */
record MacvlanOptions(String parent, MacvlanMode mode) {
    static final String PARENT = "parent";
    static final String MODE = "mode";

    /** Parses and checks the user's options; the mode defaults to bridge. */
    static MacvlanOptions parse(Map<String, String> options) {
        for (String key : options.keySet()) {
            if (!key.equals(PARENT) && !key.equals(MODE)) {
                throw new IllegalArgumentException("unknown macvlan option '" + key
                        + "': use parent=INTERFACE and mode=bridge|private|vepa");
            }
        }
        String parent = options.get(PARENT);
        if (parent == null) {
            throw new IllegalArgumentException("a macvlan network needs its parent interface: --opt parent=INTERFACE");
        }
        LinkRequest.requireName(parent);
        return new MacvlanOptions(parent, mode(options.getOrDefault(MODE, "bridge")));
    }

    /** The options as stored with the network. */
    Map<String, String> asMap() {
        return Map.of(PARENT, parent, MODE, mode.name().toLowerCase(Locale.ROOT));
    }

    private static MacvlanMode mode(String value) {
        return switch (value) {
            case "bridge" -> MacvlanMode.BRIDGE;
            case "private" -> MacvlanMode.PRIVATE;
            case "vepa" -> MacvlanMode.VEPA;
            default -> throw new IllegalArgumentException("macvlan mode '" + value
                    + "' is not supported: use bridge, private or vepa");
        };
    }
}
