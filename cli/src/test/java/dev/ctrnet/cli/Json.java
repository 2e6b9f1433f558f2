package dev.ctrnet.cli;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** Reads JSON printed by ctrnet or by {@code ip -j}. */
final class Json {
    private Json() {}

    static Map<String, Object> object(String text) {
        try {
            return JSON.std.mapFrom(text);
        } catch (IOException e) {
            throw new UncheckedIOException("not a JSON object: " + text, e);
        }
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> array(String text) {
        try {
            return (List<Map<String, Object>>) (List<?>) JSON.std.listFrom(text);
        } catch (IOException e) {
            throw new UncheckedIOException("not a JSON array: " + text, e);
        }
    }
}
