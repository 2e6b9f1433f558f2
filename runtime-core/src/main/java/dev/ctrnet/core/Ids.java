package dev.ctrnet.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Identifiers for containers, networks and endpoints, as Docker's: 64 hex digits, random but for the built-in networks'. */
final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {}

    /** A new 64-hex-digit id. */
    static String newId() {
        return hex(32);
    }

    /** An id derived from {@code seed}: the same seed, the same id. */
    static String derived(String seed) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-256", e);
        }
    }

    /** Whether {@code name} has the form of an id ctrnet makes: 64 lowercase hex digits. */
    static boolean isId(String name) {
        return name.matches("[0-9a-f]{64}");
    }

    /** {@code bytes} random bytes as hex. */
    static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** A random pick from {@code choices}. */
    static String pick(String[] choices) {
        return choices[RANDOM.nextInt(choices.length)];
    }
}
