package org.portico.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathNormalizerTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "/a/./b, /a/b",
        "/a/b/../c, /a/c",
        "/a/b/.., /a/",
        "/a/., /a/",
        "/.., /",
        "/../../x, /x",
        "/a/%2e/b, /a/b",
        "/a/%2E%2e/b, /b",
        "/a/b/.%2E/c, /a/c",
        "/a/..b/c, /a/..b/c",
        "/a/.../c, /a/.../c",
        "/a%2F../b, /a%2F../b",
        "/a//b, /a/b",
        "///, /",
        "/a/%2F%2F/b, /a/%2F%2F/b",
        "/a//../b, /b",
        "/, /",
    })
    void normalisesWithMergedSlashes(String raw, String expected) {
        assertEquals(expected, PathNormalizer.normalize(raw, true));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "/a//b, /a//b",
        "/a//../b, /a/b",
        "//./x, //x",
        "/a/b//.., /a/b/",
    })
    void normalisesWithoutMergingSlashes(String raw, String expected) {
        assertEquals(expected, PathNormalizer.normalize(raw, false));
    }
}
