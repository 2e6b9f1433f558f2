package dev.ctrnet.api;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The grammar of the names users give, one rule per kind, each used wherever that kind of name is
 * accepted. They reach file names, process arguments, kernel objects and rule comments, so each allows
 * only ASCII letters, digits and a few punctuation characters that mean nothing to a shell, nft,
 * iptables or a path: no quote, space, brace, semicolon, slash or control character can pass.
 */
public final class Names {
    /** Docker's rule for container and network names, with its length limit, in ASCII only. */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}");
    /** A label of a host name (RFC 1123): letters, digits and inner hyphens, 1 to 63 of them. */
    private static final Pattern HOST_LABEL = Pattern.compile("[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?");
    /**
     * The kernel keeps a host name in 64 bytes ({@code __NEW_UTS_LEN}): a longer one, valid as it may be in
     * DNS, could never be set, so it is refused with the rest of the grammar.
     */
    private static final int HOSTNAME_BYTES = 64;
    /** Names of drivers and NAT backends: lower case, as users type them after {@code --driver} and {@code --nat}. */
    private static final Pattern DRIVER = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,31}");

    private Names() {}

    /**
     * Returns {@code name} when it is a valid container or network name: {@code [a-zA-Z0-9][a-zA-Z0-9_.-]*},
     * 1 to 128 characters, as Docker's.
     *
     * @param what "container" or "network", for the message
     * @throws IllegalArgumentException naming the rule
     */
    public static String requireName(String name, String what) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(UserInput.quote(name) + " is not a valid " + what
                    + " name: use 1 to 128 ASCII letters, digits, '_', '.' and '-', starting with a letter or digit");
        }
        return name;
    }

    /**
     * Returns {@code hostname} when it is a host name as RFC 1123 has them: dot-separated labels of 1 to 63
     * ASCII letters, digits and hyphens, none starting or ending with a hyphen; 64 bytes at most, the most
     * the kernel holds.
     *
     * @throws IllegalArgumentException naming the rule
     */
    public static String requireHostname(String hostname) {
        boolean valid = hostname != null && !hostname.isEmpty()
                && hostname.getBytes(StandardCharsets.UTF_8).length <= HOSTNAME_BYTES
                && !hostname.startsWith(".") && !hostname.endsWith(".");
        if (valid) {
            for (String label : hostname.split("\\.", -1)) {
                valid &= HOST_LABEL.matcher(label).matches();
            }
        }
        if (!valid) {
            throw new IllegalArgumentException(UserInput.quote(hostname) + " is not a valid host name: use labels of"
                    + " ASCII letters, digits and '-' (not first or last) joined by '.', 64 characters at most");
        }
        return hostname;
    }

    /**
     * Returns {@code name} when it is a valid name for a network driver or NAT backend, as plugins declare
     * them and users type them: {@code [a-z0-9][a-z0-9_.-]*}, 1 to 32 characters.
     *
     * @param what "network driver" or "NAT backend", for the message
     * @throws IllegalArgumentException naming the rule
     */
    public static String requireDriverName(String name, String what) {
        if (name == null || !DRIVER.matcher(name).matches()) {
            throw new IllegalArgumentException(UserInput.quote(name) + " is not a valid " + what
                    + " name: use 1 to 32 lower-case ASCII letters, digits, '_', '.' and '-', starting with a letter or digit");
        }
        return name;
    }
}
