package dev.ctrnet.api.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.ctrnet.api.UserInput;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Strings a user (or an attacker) could give as a name or an option: ones that try to break out of a rule
 * script, a shell word, a path or a line (quotes, semicolons, braces, newlines, spaces, NUL, unicode,
 * direction overrides), ones just past a limit (16 bytes for an interface), and ones the grammar accepts,
 * so that a property over them sees both sides.
 */
public final class HostileInput {
    /** Characters that mean something to nft, iptables-restore, a shell, a path or a terminal. */
    private static final String HOSTILE = " \t\n\r\"'`;{}[]()<>|&$#*?!~^%,:/\\=@+\0\u001b\u007f";
    /** Characters past ASCII: letters, a wide one, a surrogate pair, invisible and direction-changing ones. */
    private static final String UNICODE = "äéß漢\u00a0\u2028\u202e\u200b\ufeff";
    /** What the strict grammars are made of. */
    private static final String PLAIN = "abcxyzABCXYZ0189_.-";

    private HostileInput() {}

    /** Any of the kinds below, the plain and nearly plain ones most often. */
    public static Arbitrary<String> strings() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, plain()),
                Tuple.of(3, plainWithOneHostileCharacter()),
                Tuple.of(2, Arbitraries.strings().withChars(HOSTILE + UNICODE + PLAIN).ofMaxLength(24)),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(24).map(HostileInput::withEmoji)),
                Tuple.of(2, Arbitraries.of(
                        "", ".", "..", "-", "_", "-rf", "--", "a".repeat(15), "a".repeat(16), "b".repeat(64),
                        "c".repeat(65), "ip", "table", "dnat", "ctrnet", "inet", "-j", "a b", "a\nb", "a\n",
                        "x\"; flush ruleset; \"", "x\" }\ntable ip t { chain c { drop; } }\n#",
                        "x\nCOMMIT\n*filter\n-F", "x -j ACCEPT", "$(reboot)", "`id`", "../../etc", "a/b",
                        "eth0:1", "ä", "web\u202etxt", "\0", "8080:80", "10.0.0.0/8")));
    }

    /** Strings of the characters the grammars allow, up to a little past their longest limits. */
    public static Arbitrary<String> plain() {
        return Arbitraries.strings().withChars(PLAIN).ofMinLength(1).ofMaxLength(20);
    }

    /** A plain string with one hostile or unicode character put somewhere in it. */
    public static Arbitrary<String> plainWithOneHostileCharacter() {
        return Combinators.combine(plain(), Arbitraries.of((HOSTILE + UNICODE).chars().boxed().toList()),
                Arbitraries.integers().between(0, 20))
                .as((text, c, at) -> {
                    int where = Math.min(at, text.length());
                    return text.substring(0, where) + (char) c.intValue() + text.substring(where);
                });
    }

    /**
     * Runs {@code attempt}, which takes some input: returns true when it refused it with an
     * {@link IllegalArgumentException} whose message is clean ({@link #assertCleanMessage}), false when it
     * accepted it; any other failure fails the test.
     */
    public static boolean refusedCleanly(Runnable attempt) {
        try {
            attempt.run();
            return false;
        } catch (IllegalArgumentException e) {
            assertCleanMessage(e.getMessage());
            return true;
        }
    }

    /**
     * Fails unless {@code message} is a clean error: not empty, and one line that needs no escaping, so
     * {@code ctrnet: MESSAGE} prints as is.
     */
    public static void assertCleanMessage(String message) {
        assertFalse(message == null || message.isBlank(), "an error without a message");
        assertEquals(UserInput.oneLine(message), message, "the message holds line breaks or control characters");
    }

    private static String withEmoji(String text) {
        return text.isEmpty() ? text : text + "\ud83d\ude00";
    }
}
