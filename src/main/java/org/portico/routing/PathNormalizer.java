package org.portico.routing;

import java.util.ArrayList;
import java.util.List;

/**
 * Cleans a raw (still %-encoded) request path before mapping, as httpd's {@code ap_normalize_path} does:
 * optional merging of slash runs, then removal of {@code .} and {@code ..} segments. Stateless.
 */
final class PathNormalizer {

    private PathNormalizer() {
    }

    /**
     * @param raw the path as the client sent it; an encoded slash ({@code %2F}) is not a separator
     * @param mergeSlashes whether runs of '/' become one (httpd's MergeSlashes)
     */
    static String normalize(String raw, boolean mergeSlashes) {
        String path = mergeSlashes ? mergeSlashes(raw) : raw;
        return mayHaveDotSegments(path) ? removeDotSegments(path) : path;
    }

    static String mergeSlashes(String path) {
        if (!path.contains("//")) {
            return path;
        }
        StringBuilder out = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c != '/' || out.length() == 0 || out.charAt(out.length() - 1) != '/') {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean mayHaveDotSegments(String path) {
        return path.indexOf('.') >= 0 || path.contains("%2e") || path.contains("%2E");
    }

    /** RFC 3986 section 5.2.4 on whole segments; a {@code ..} at the root stays at the root. */
    static String removeDotSegments(String path) {
        boolean absolute = path.startsWith("/");
        String[] segments = (absolute ? path.substring(1) : path).split("/", -1);
        List<String> kept = new ArrayList<>(segments.length);
        for (int i = 0; i < segments.length; i++) {
            boolean last = i == segments.length - 1;
            int dots = dotCount(segments[i]);
            if (dots == 1 || dots == 2) {
                if (dots == 2 && !kept.isEmpty()) {
                    kept.remove(kept.size() - 1);
                }
                // "/a/b/.." is the directory "/a/", so the trailing slash survives
                if (last) {
                    kept.add("");
                }
            } else {
                kept.add(segments[i]);
            }
        }
        return (absolute ? "/" : "") + String.join("/", kept);
    }

    /**
     * How many dots the segment consists of, counting {@code %2e} as a dot (clients encode them to slip
     * {@code ..} past naive filters); -1 when it contains anything else.
     */
    private static int dotCount(String segment) {
        if (segment.isEmpty()) {
            return -1;
        }
        int dots = 0;
        int i = 0;
        while (i < segment.length()) {
            if (segment.charAt(i) == '.') {
                i++;
            } else if (segment.regionMatches(true, i, "%2e", 0, 3)) {
                i += 3;
            } else {
                return -1;
            }
            dots++;
        }
        return dots;
    }
}
