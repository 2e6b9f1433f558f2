package dev.ctrnet.api.net;

import dev.ctrnet.api.UserInput;
import java.util.Locale;

/** A transport protocol a port can be published for. */
public enum Protocol {
    TCP,
    UDP;

    /** Parses {@code tcp} or {@code udp}, case-insensitive. */
    public static Protocol parse(String text) {
        try {
            return valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(UserInput.quote(text) + " is not a protocol: use tcp or udp", e);
        }
    }

    /** The lower-case name used on command lines and in rules. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
