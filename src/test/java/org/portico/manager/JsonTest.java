package org.portico.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The manager's JSON: written safely for script elements, read back the same; edits as JSON objects. */
class JsonTest {

    @Test
    void writesAndReadsBackNestedValues() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "quote \" backslash \\ newline \n </script> \u2028");
        m.put("n", 42L);
        m.put("d", 2.5);
        m.put("b", true);
        m.put("z", null);
        m.put("list", List.of(1L, "two"));
        String text = Json.write(m);
        assertTrue(text.contains("\\u003c/script\\u003e"), text);
        assertTrue(text.contains("\\u2028"), text);
        assertTrue(text.contains("\"z\":null"), text);
        assertEquals(m, Json.parse(text));
    }

    @Test
    void numbersAreWrittenAsBeforeIntegersWithoutAFractionAndNonFiniteAsNull() {
        assertEquals("[1,2,-3,2.5,0.1,1.0E15,null,null,7]",
                Json.write(Arrays.asList(1, 2L, -3.0, 2.5, 0.1, 1e15, Double.NaN, Double.POSITIVE_INFINITY, 7.0f)));
    }

    @Test
    void keysKeepTheirOrder() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("zeta", 1);
        m.put("alpha", 2);
        m.put("mid", 3);
        assertEquals("{\"zeta\":1,\"alpha\":2,\"mid\":3}", Json.write(m));
        assertEquals(List.of("zeta", "alpha", "mid"), List.copyOf(((Map<?, ?>) Json.parse(Json.write(m))).keySet()));
    }

    @Test
    void parsingIsStrictAndSaysWhere() {
        assertEquals(Map.of("a", 5L, "b", 0.5), Json.parse(" {\"a\":5, \"b\":0.5} "));
        for (String bad : List.of("{b:1}", "{\"b\":'x'}", "{\"b\":1} x", "{\"b\":NaN}", "{\"b\":1,}", "", "// c\n{}")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("not valid JSON"), e.getMessage());
            assertTrue(!e.getMessage().contains("setStrictness") && !e.getMessage().contains("http"), e.getMessage());
        }
        assertEquals("not valid JSON at line 1 column 3 ($.): not strict JSON (names and strings in double quotes, "
                + "no comments, one value)", assertThrows(IllegalArgumentException.class, () -> Json.parse("{b:1}")).getMessage());
        String deep = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Json.parse(deep)).getMessage().contains("Nesting limit"));
        String deepest = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertTrue(Json.parse(deepest) instanceof List<?>);
    }

    @Test
    void editsAsJsonUseHttpdsFieldNamesWithBooleansAsFlags() throws Exception {
        EditParams p = EditParams.fromJson("{\"b\":\"cluster\",\"w_lf\":2.5,\"w_ls\":3,\"w_status_D\":false,\"w_wr\":null}");
        assertEquals("2.5", p.get("w_lf"));
        assertEquals("3", p.get("w_ls"));
        assertEquals("0", p.get("w_status_D"));
        assertEquals("", p.get("w_wr"));
    }

    @Test
    void aBodyThatIsNotAFlatJsonObjectIsRefusedWith400() {
        EditRefused notJson = assertThrows(EditRefused.class, () -> EditParams.fromJson("{\"b\":"));
        assertEquals(400, notJson.status());
        assertEquals("the request body is not valid JSON at line 1 column 6 ($.b): End of input", notJson.getMessage());
        EditRefused nested = assertThrows(EditRefused.class, () -> EditParams.fromJson("{\"b\":{\"x\":1}}"));
        assertEquals("JSON field 'b' must be a string, number or boolean", nested.getMessage());
        EditRefused array = assertThrows(EditRefused.class, () -> EditParams.fromJson("[1]"));
        assertEquals(400, array.status());
        assertTrue(array.getMessage().startsWith("the request body must be a JSON object of fields"), array.getMessage());
        EditRefused deep = assertThrows(EditRefused.class,
                () -> EditParams.fromJson("{\"b\":" + "[".repeat(100) + "]".repeat(100) + "}"));
        assertEquals(400, deep.status());
        assertTrue(deep.getMessage().startsWith("the request body is not valid JSON at line 1 column"), deep.getMessage());
    }
}
