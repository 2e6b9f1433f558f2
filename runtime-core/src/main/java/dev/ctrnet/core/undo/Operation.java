package dev.ctrnet.core.undo;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link Journal} is about: the kind of operation and what it works on (names and ids), which is what a
 * later process needs to walk the operation's records back or to finish it.
 *
 * @param kind the operation
 * @param subject what it works on: {@code container}, {@code id}, {@code network}, {@code interface}, {@code pid}...
 */
public record Operation(Kind kind, Map<String, String> subject) {
    /** The operations that keep a journal, and what is done with one that a crash interrupted. */
    public enum Kind {
        /** {@code run} (the container's making, up to its record and rules): walked back. */
        RUN(true, false),
        /** {@code network connect}: walked back. */
        CONNECT(true, false),
        /** {@code network create}, and a built-in network's making on first use: walked back. */
        NETWORK_CREATE(true, false),
        /** {@code rm}: finished (done again: what is done already is skipped). */
        RM(false, true),
        /** {@code network rm}: finished. */
        NETWORK_RM(false, true),
        /** {@code network disconnect}: finished. */
        DISCONNECT(false, true),
        /**
         * {@code network reload}: walked back, then done again; done again alone, it would find a bridge made but
         * not given its address yet, which it takes for someone else's.
         */
        RELOAD(true, true),
        /** {@code system prune}: done again. */
        PRUNE(false, true);

        private final boolean walkedBack;
        private final boolean doneAgain;

        Kind(boolean walkedBack, boolean doneAgain) {
            this.walkedBack = walkedBack;
            this.doneAgain = doneAgain;
        }

        /** Whether a crash walks its changes back: its journal holds each change's undo. */
        public boolean walkedBack() {
            return walkedBack;
        }

        /** Whether a crash is followed by doing it again, which finishes it: its journal needs to name it only. */
        public boolean doneAgain() {
            return doneAgain;
        }

        String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static Kind ofId(String id) {
            return valueOf(id.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    public Operation {
        subject = Map.copyOf(subject);
    }

    /** The operation {@code kind} on {@code subject}, given as key, value, key, value... */
    public static Operation of(Kind kind, String... subject) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < subject.length; i += 2) {
            m.put(subject[i], subject[i + 1]);
        }
        return new Operation(kind, m);
    }

    /** The value of {@code key} in the subject. */
    public Optional<String> get(String key) {
        return Optional.ofNullable(subject.get(key));
    }

    /** A phrase for what {@code system prune} reports: "run of web on bridge". */
    public String describe() {
        StringBuilder out = new StringBuilder(kind.id());
        get("container").or(() -> get("sandbox")).ifPresent(c -> out.append(" of ").append(c));
        get("network").ifPresent(n -> out.append(kind == Kind.NETWORK_CREATE || kind == Kind.NETWORK_RM ? " " : " on ")
                .append(n));
        return out.toString();
    }

    Map<String, Object> header() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("operation", kind.id());
        m.put("subject", subject);
        return m;
    }

    static Operation fromHeader(Map<String, Object> header) {
        if (!(header.get("operation") instanceof String kind) || !(header.get("subject") instanceof Map<?, ?> subject)) {
            throw new IllegalArgumentException("not a journal's first line: " + header);
        }
        Map<String, String> m = new LinkedHashMap<>();
        subject.forEach((k, v) -> m.put(String.valueOf(k), String.valueOf(v)));
        return new Operation(Kind.ofId(kind), m);
    }
}
