package org.portico.shared;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The layout of Portico's keys under the address's prefix, version 1:
 * <pre>
 * PREFIX/v1/balancers/NAME                      a balancer's settings the manager edits (JSON)
 * PREFIX/v1/members/NAME/URL                    the operator's intent for one member (JSON)
 * PREFIX/v1/health/NAME/URL/INSTANCE            what one instance observes of the member (ephemeral)
 * PREFIX/v1/instances/INSTANCE                  one running instance (ephemeral)
 * </pre>
 * A member URL is one path segment, %-encoded. Immutable.
 */
public record SharedKeys(String root) {

    public static final String VERSION = "v1";

    public static SharedKeys of(StoreAddress address) {
        return new SharedKeys(address.prefix() + "/" + VERSION);
    }

    public String balancer(String name) {
        return root + "/balancers/" + enc(name);
    }

    public String member(String balancer, String url) {
        return root + "/members/" + enc(balancer) + "/" + enc(url);
    }

    public String health(String balancer, String url, String instance) {
        return root + "/health/" + enc(balancer) + "/" + enc(url) + "/" + enc(instance);
    }

    public String instance(String instance) {
        return root + "/instances/" + enc(instance);
    }

    /** What a key under the root names: its kind and its decoded path segments after the kind. */
    public record Parsed(String kind, String[] parts) {
    }

    /** The parts of {@code key}, or null when it is not one of Portico's v1 keys. */
    public Parsed parse(String key) {
        if (!key.startsWith(root + "/")) {
            return null;
        }
        String[] segments = key.substring(root.length() + 1).split("/");
        int want = switch (segments[0]) {
            case "balancers", "instances" -> 2;
            case "members" -> 3;
            case "health" -> 4;
            default -> -1;
        };
        if (segments.length != want) {
            return null;
        }
        String[] parts = new String[want - 1];
        for (int i = 1; i < want; i++) {
            parts[i - 1] = URLDecoder.decode(segments[i], StandardCharsets.UTF_8);
        }
        return new Parsed(segments[0], parts);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
