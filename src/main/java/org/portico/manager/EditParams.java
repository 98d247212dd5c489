package org.portico.manager;

import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields of one manager request, by httpd's names ({@code b}, {@code w}, {@code nonce}, {@code xml},
 * {@code w_lf}, {@code b_lbm}, ...), from a query string, a form body or a JSON object. The first value
 * of a repeated field counts.
 */
final class EditParams {

    private final Map<String, String> values;

    private EditParams(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** From the servlet's parameter map (query string and form body, already decoded once). */
    static EditParams of(Map<String, String[]> parameters) {
        Map<String, String> m = new LinkedHashMap<>();
        parameters.forEach((k, v) -> {
            if (v != null && v.length > 0) {
                m.put(k, v[0]);
            }
        });
        return new EditParams(m);
    }

    /**
     * From a JSON object whose fields have httpd's names: strings as they are, numbers as written,
     * {@code true}/{@code false} as 1/0 (for the flags and {@code b_sforce}), {@code null} as empty.
     */
    static EditParams fromJson(String body) throws EditRefused {
        Object doc;
        try {
            doc = Json.parse(body);
        } catch (IllegalArgumentException e) {
            throw EditRefused.badValue("the request body is " + e.getMessage());
        }
        if (!(doc instanceof Map<?, ?> object)) {
            throw EditRefused.badValue("the request body must be a JSON object of fields, e.g. "
                    + "{\"b\":\"mycluster\",\"nonce\":\"...\",\"w\":\"http://h:8080\",\"w_lf\":2}");
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : object.entrySet()) {
            Object v = e.getValue();
            String text;
            if (v == null) {
                text = "";
            } else if (v instanceof Boolean b) {
                text = b ? "1" : "0";
            } else if (v instanceof Double d) {
                text = BigDecimal.valueOf(d).toPlainString();
            } else if (v instanceof String || v instanceof Long) {
                text = v.toString();
            } else {
                throw EditRefused.badValue("JSON field '" + e.getKey() + "' must be a string, number or boolean");
            }
            m.put(String.valueOf(e.getKey()), text);
        }
        return new EditParams(m);
    }

    String get(String name) {
        return values.get(name);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    /** A field that is present and not empty. */
    boolean given(String name) {
        String v = values.get(name);
        return v != null && !v.isEmpty();
    }

    Iterable<String> names() {
        return values.keySet();
    }

    /** The fields that would change something (every {@code w_*}, {@code b_*} and {@code discard_state}). */
    List<String> changeFields() {
        List<String> out = new ArrayList<>();
        for (String k : values.keySet()) {
            if (isChangeField(k)) {
                out.add(k);
            }
        }
        return out;
    }

    /** The field that asks for a descriptor reload. */
    static final String RELOAD = "reload";

    static boolean isChangeField(String name) {
        return name.startsWith("w_") || name.startsWith("b_") || "discard_state".equals(name) || RELOAD.equals(name);
    }

    /**
     * A name ({@code b}, {@code w}, {@code b_nwrkr}) as the user means it: httpd's own pages escape
     * these once more than the form does, and httpd decodes them twice; a value still holding
     * {@code %3A} or {@code %2F} is decoded a second time so that such scripts keep working.
     */
    static String name(String raw) {
        if (raw == null) {
            return null;
        }
        String v = raw.trim();
        String lower = v.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("%3a") || lower.contains("%2f")) {
            try {
                return URLDecoder.decode(v, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return v;
            }
        }
        return v;
    }
}
