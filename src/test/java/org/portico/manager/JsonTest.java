package org.portico.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The manager's JSON: written safely for script elements, read back the same; edits as JSON objects. */
class JsonTest {

    @Test
    void writesAndReadsBackNestedValues() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "quote \" backslash \\ newline \n </script>");
        m.put("n", 42L);
        m.put("d", 2.5);
        m.put("b", true);
        m.put("z", null);
        m.put("list", List.of(1L, "two"));
        String text = Json.write(m);
        assertTrue(text.contains("\\u003c/script\\u003e"), text);
        assertEquals(m, Json.parse(text));
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
        assertTrue(notJson.getMessage().startsWith("the request body is not valid JSON at character 6"), notJson.getMessage());
        EditRefused nested = assertThrows(EditRefused.class, () -> EditParams.fromJson("{\"b\":{\"x\":1}}"));
        assertEquals("JSON field 'b' must be a string, number or boolean", nested.getMessage());
        assertThrows(EditRefused.class, () -> EditParams.fromJson("[1]"));
    }
}
