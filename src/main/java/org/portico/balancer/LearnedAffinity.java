package org.portico.balancer;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.time.Instant;
import java.util.function.LongSupplier;
import org.apache.hc.client5.http.utils.DateUtils;

/**
 * Beyond httpd: stickiness for session values that carry no route. When a member answers with
 * {@code Set-Cookie: <sticky cookie>=<value>} and the value has no route in it (an application server
 * without jvmRoute), the balancer remembers value → member, and later requests carrying that value go
 * to that member as if their route had named it.
 *
 * <p>Bounded under any load: at most {@code maxEntries} values (least recently and least frequently
 * used ones go first), each forgotten after {@code expireAfterAccess} without use, and values longer
 * than {@value #MAX_VALUE_LENGTH} characters are not remembered. Memory is therefore bounded by
 * entries × that length. Only backends' Set-Cookie headers add entries; clients can only look up.
 *
 * <p>Thread-safe and lock-free for callers (a Caffeine cache whose maintenance runs on the calling
 * threads, so no background pool is needed inside a container).
 */
public final class LearnedAffinity {

    /** Longer session values are not remembered. */
    public static final int MAX_VALUE_LENGTH = 256;

    private final Cache<String, Worker> members;

    /** @param nanoTicker the expiry's clock in nanoseconds; null for {@link System#nanoTime} */
    public LearnedAffinity(long maxEntries, Duration expireAfterAccess, LongSupplier nanoTicker) {
        Ticker ticker = nanoTicker == null ? Ticker.systemTicker() : nanoTicker::getAsLong;
        this.members = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .expireAfterAccess(expireAfterAccess)
                .ticker(ticker)
                .executor(Runnable::run)
                .build();
    }

    /** The member that issued {@code sessionValue}, or null when unknown or expired. */
    public Worker lookup(String sessionValue) {
        if (sessionValue == null || sessionValue.isEmpty() || sessionValue.length() > MAX_VALUE_LENGTH) {
            return null;
        }
        return members.getIfPresent(sessionValue);
    }

    /** Remembers that {@code sessionValue} lives on {@code member}. */
    public void learn(String sessionValue, Worker member) {
        if (sessionValue != null && !sessionValue.isEmpty() && sessionValue.length() <= MAX_VALUE_LENGTH
                && member != null) {
            members.put(sessionValue, member);
        }
    }

    private void forget(String sessionValue) {
        if (sessionValue != null) {
            members.invalidate(sessionValue);
        }
    }

    /**
     * Learns from the {@code Set-Cookie} headers of a response that {@code member} sent: each cookie
     * named {@code cookieName} whose value has no route is remembered; one that deletes the cookie
     * ({@code Max-Age} ≤ 0, or {@code Expires} in the past) is forgotten. Malformed headers are ignored.
     *
     * @param separator the balancer's route separator (0 for Off: every value is a route, nothing is learned)
     */
    public void learnFrom(Iterable<String> setCookieHeaders, String cookieName, char separator, Worker member,
                          long nowMillis) {
        if (setCookieHeaders == null || cookieName == null || cookieName.isEmpty()) {
            return;
        }
        for (String header : setCookieHeaders) {
            if (header == null) {
                continue;
            }
            int eq = header.indexOf('=');
            if (eq <= 0 || !header.substring(0, eq).trim().equals(cookieName)) {
                continue;
            }
            int semi = header.indexOf(';', eq);
            String value = (semi < 0 ? header.substring(eq + 1) : header.substring(eq + 1, semi)).trim();
            if (deletes(semi < 0 ? "" : header.substring(semi + 1), nowMillis)) {
                forget(value);
            } else if (StickyRoute.routeOf(value, separator) == null) {
                learn(value, member);
            }
        }
    }

    /** An estimate of the entries held, after pending evictions and expiries have been applied. */
    public long size() {
        members.cleanUp();
        return members.estimatedSize();
    }

    private static boolean deletes(String attributes, long nowMillis) {
        for (String attr : attributes.split(";")) {
            int eq = attr.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String name = attr.substring(0, eq).trim();
            String v = attr.substring(eq + 1).trim();
            if (name.equalsIgnoreCase("Max-Age")) {
                try {
                    return Long.parseLong(v) <= 0;
                } catch (NumberFormatException e) {
                    continue;
                }
            }
            if (name.equalsIgnoreCase("Expires")) {
                // IMF-fixdate or the cookie form's dashes (01-Jan-1970); an unreadable date deletes nothing
                Instant expires = DateUtils.parseStandardDate(v);
                if (expires != null && expires.toEpochMilli() <= nowMillis) {
                    return true;
                }
            }
        }
        return false;
    }
}
