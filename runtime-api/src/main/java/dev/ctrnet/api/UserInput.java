package dev.ctrnet.api;

/**
 * How user input appears in messages: the one place that formats it, so that an error about a value
 * is always one line, however many line breaks or control characters the value holds.
 */
public final class UserInput {
    /** Longer input is cut in messages: the start is enough to recognise it, and a line stays readable. */
    private static final int SHOWN = 64;

    private UserInput() {}

    /**
     * {@code text} in single quotes, escaped as a Java literal would be ({@code 'a\nb'}): line breaks,
     * control and format characters, quotes and backslashes are escaped, other characters shown as they
     * are; input longer than 64 characters is cut, saying how much was left out.
     */
    public static String quote(String text) {
        if (text == null) {
            return "nothing";
        }
        int cut = text.offsetByCodePoints(0, Math.min(SHOWN, text.codePointCount(0, text.length())));
        String shown = escape(text.substring(0, cut), true);
        String rest = cut < text.length() ? "… (" + text.codePointCount(cut, text.length()) + " more characters)" : "";
        return "'" + shown + "'" + rest;
    }

    /**
     * {@code message} on one line: its control and format characters (line breaks among them) escaped as
     * in {@link #quote}, everything else, backslashes and quotes included, left as it is. For the last
     * step before a message is printed, whatever made it.
     */
    public static String oneLine(String message) {
        return escape(message == null ? "" : message, false);
    }

    private static String escape(String text, boolean quoted) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        text.codePoints().forEach(c -> {
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append(quoted ? "\\\\" : "\\");
                case '\'' -> out.append(quoted ? "\\'" : "'");
                default -> {
                    if (invisible(c)) {
                        out.append(String.format("\\u%04x", c));
                    } else {
                        out.appendCodePoint(c);
                    }
                }
            }
        });
        return out.toString();
    }

    /**
     * Characters that break a line, move the cursor, change the text's direction or show nothing: C0 and
     * C1 controls, Unicode's line and paragraph separators, format characters (bidirectional overrides,
     * zero-width ones), unassigned code points and lone surrogates.
     */
    private static boolean invisible(int c) {
        int type = Character.getType(c);
        return Character.isISOControl(c) || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.FORMAT || type == Character.UNASSIGNED || type == Character.SURROGATE
                || type == Character.PRIVATE_USE;
    }
}
