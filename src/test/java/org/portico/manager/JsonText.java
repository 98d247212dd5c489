package org.portico.manager;

/** The manager's JSON reader, for tests in other packages that read its status. */
public final class JsonText {

    private JsonText() {
    }

    /** Maps, lists, strings, numbers, booleans and null, as {@link Json#parse} returns them. */
    public static Object parse(String text) {
        return Json.parse(text);
    }
}
