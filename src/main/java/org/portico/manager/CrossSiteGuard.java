package org.portico.manager;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import org.portico.balancer.Balancer;

/**
 * The manager's defences against other sites. Every response gets a fresh Content-Security-Policy nonce
 * (only the page's own script and style run) and headers that keep it out of frames and caches; every
 * change needs httpd's Referer check, made strict (a same-origin Origin, else Referer), and the
 * balancer's nonce, each refused out loud where httpd ignores silently. Stateless; thread-safe.
 */
final class CrossSiteGuard {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String CSP_NONCE = CrossSiteGuard.class.getName() + ".cspNonce";

    private CrossSiteGuard() {
    }

    /** Sets the protective headers on {@code resp} with a new CSP nonce, which {@link #cspNonce} then gives. */
    static void protect(HttpServletRequest req, HttpServletResponse resp) {
        byte[] b = new byte[18];
        RANDOM.nextBytes(b);
        String nonce = Base64.getEncoder().encodeToString(b);
        req.setAttribute(CSP_NONCE, nonce);
        resp.setHeader("X-Frame-Options", "DENY");
        resp.setHeader("Content-Security-Policy", "default-src 'none'; script-src 'nonce-" + nonce + "'; style-src 'nonce-"
                + nonce + "'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("Cache-Control", "no-store");
        resp.setHeader("Referrer-Policy", "same-origin");
    }

    /** The nonce {@link #protect} put in this request's response headers. */
    static String cspNonce(HttpServletRequest req) {
        return (String) req.getAttribute(CSP_NONCE);
    }

    /**
     * httpd's Referer check, made stricter and explicit: the Origin header, else the Referer, must name
     * this request's own scheme, host and port.
     */
    static void checkSameOrigin(HttpServletRequest req) throws EditRefused {
        String expected = origin(req.getScheme(), req.getServerName(), req.getServerPort());
        String header = "Origin";
        String value = req.getHeader("Origin");
        if (value == null || value.isBlank()) {
            header = "Referer";
            value = req.getHeader("Referer");
        }
        if (value == null || value.isBlank()) {
            throw EditRefused.forbidden("origin: the request has neither an Origin nor a Referer header, so it may "
                    + "come from another site; changes are accepted only from " + expected
                    + " (scripts: send the header Origin: " + expected + ")");
        }
        String actual;
        try {
            URI u = new URI(value.trim());
            if (u.getScheme() == null || u.getHost() == null) {
                throw new URISyntaxException(value, "no scheme or host");
            }
            int port = u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
            actual = origin(u.getScheme(), u.getHost(), port);
        } catch (URISyntaxException e) {
            throw EditRefused.forbidden("origin: the " + header + " header '" + value + "' is not a URL; changes are "
                    + "accepted only from " + expected);
        }
        if (!actual.equals(expected)) {
            throw EditRefused.forbidden("origin: the " + header + " header names " + actual + ", not this manager's "
                    + expected + "; cross-site changes are refused");
        }
    }

    private static String origin(String scheme, String host, int port) {
        return scheme.toLowerCase(Locale.ROOT) + "://" + host.toLowerCase(Locale.ROOT) + ":" + port;
    }

    /** The change must carry {@code b}'s nonce (compared in constant time); an empty nonce disables changes. */
    static void checkNonce(EditParams p, Balancer b) throws EditRefused {
        String expected = b.nonce();
        if (expected.isEmpty()) {
            throw EditRefused.forbidden("nonce: changes to " + b.config().url() + " are disabled, because its nonce "
                    + "is empty in the descriptor");
        }
        String given = p.get("nonce");
        if (given == null || given.isEmpty()) {
            throw EditRefused.forbidden("nonce: missing; every change needs " + b.config().url() + "'s nonce (the "
                    + "nonce= of the manager page's links, or \"nonce\" in the JSON status)");
        }
        if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8))) {
            throw EditRefused.forbidden("nonce: it does not match " + b.config().url() + "'s nonce; reload the "
                    + "manager page and try again");
        }
    }
}
