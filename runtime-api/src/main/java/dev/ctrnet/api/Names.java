package dev.ctrnet.api;

import java.util.regex.Pattern;

/** The rule for names of containers and networks: {@code [a-zA-Z0-9][a-zA-Z0-9_.-]*}, as Docker's. */
public final class Names {
    private static final Pattern VALID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}");

    private Names() {}

    /**
     * Returns {@code name} when valid.
     *
     * @param what "container" or "network", for the message
     * @throws IllegalArgumentException naming the rule
     */
    public static String requireName(String name, String what) {
        if (name == null || !VALID.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a valid " + what
                    + " name: use letters, digits, '_', '.' and '-', starting with a letter or digit");
        }
        return name;
    }
}
