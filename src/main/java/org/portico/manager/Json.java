package org.portico.manager;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import com.google.gson.ToNumberPolicy;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringReader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The manager's JSON rules, kept in one place for its three callers and carried out by Gson:
 * {@link #write} turns maps, lists, strings, numbers, booleans and null into text; {@link #parse} reads a
 * document back into the same kinds (objects as ordered maps, numbers as {@code Long} or {@code Double}).
 * Thread-safe.
 */
final class Json {

    /** Deeper documents are refused; the manager's own are three levels deep, an edit is one. */
    static final int MAX_DEPTH = 64;

    private static final Gson GSON = new GsonBuilder()
            .serializeNulls()                     // a field that is null is written, not dropped
            .registerTypeHierarchyAdapter(Number.class, new Numbers())
            .setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE)
            .create();                            // HTML-safe by default: < > & = ' escaped for script elements

    private static final Pattern WHERE = Pattern.compile("(.*?) at line (\\d+) column (\\d+) path (\\S*)");

    private Json() {
    }

    static String write(Object value) {
        return GSON.toJson(value);
    }

    /**
     * Parses one strict JSON document.
     *
     * @throws IllegalArgumentException saying where and why the text stops being JSON
     */
    static Object parse(String text) {
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setStrictness(Strictness.STRICT);
        reader.setNestingLimit(MAX_DEPTH);
        try {
            Object value = GSON.getAdapter(Object.class).read(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new IllegalArgumentException("not valid JSON: unexpected text after the value");
            }
            return value;
        } catch (IOException | JsonParseException e) {
            throw new IllegalArgumentException("not valid JSON" + said(e.getMessage()), e);
        }
    }

    /** Gson's reason without its advice to programmers: the line and column first, then what is wrong. */
    private static String said(String gson) {
        String first = gson == null ? "" : gson.lines().findFirst().orElse("");
        Matcher m = WHERE.matcher(first);
        if (!m.lookingAt()) {
            return ": " + first;
        }
        String why = m.group(1).startsWith("Use JsonReader.setStrictness")
                ? "not strict JSON (names and strings in double quotes, no comments, one value)"
                : m.group(1);
        return " at line " + m.group(2) + " column " + m.group(3) + " (" + m.group(4) + "): " + why;
    }

    /**
     * Numbers as the manager has always written them, and as a script compares them: integers, also a
     * double such as a loadfactor of 1.0, without a fraction; NaN and infinities as null.
     */
    private static final class Numbers extends TypeAdapter<Number> {
        @Override
        public void write(JsonWriter out, Number n) throws IOException {
            if (n == null) {
                out.nullValue();
            } else if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
                out.value(n.longValue());
            } else {
                double d = n.doubleValue();
                if (!Double.isFinite(d)) {
                    out.nullValue();
                } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                    out.value((long) d);
                } else {
                    out.value(d);
                }
            }
        }

        @Override
        public Number read(JsonReader in) throws IOException {
            return ToNumberPolicy.LONG_OR_DOUBLE.readNumber(in);
        }
    }
}
