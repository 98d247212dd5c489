package org.portico.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A loaded, validated Portico descriptor: the immutable configuration everything else is built from.
 *
 * @param workers the direct workers, declared and implied by pass targets
 * @param hcExprs ProxyHCExpr expressions by name
 * @param warnings things that work but are probably not what the author meant, each with its location
 */
public record Descriptor(
        String source,
        ProxySettings settings,
        List<WorkerConfig> workers,
        List<BalancerConfig> balancers,
        List<PassRule> passes,
        List<ReverseRule> reverses,
        List<CookieRewrite> cookieDomains,
        List<CookieRewrite> cookiePaths,
        Map<String, String> hcExprs,
        List<String> warnings) {

    public Optional<BalancerConfig> balancer(String name) {
        return balancers.stream().filter(b -> b.name().equalsIgnoreCase(name)).findFirst();
    }

    /**
     * The direct worker whose URL prefixes {@code url} the longest (httpd's worker sharing). The prefix
     * must end at a path boundary: {@code http://h:80} does not serve {@code http://h:8081/x}.
     */
    public Optional<WorkerConfig> workerFor(String url) {
        WorkerConfig best = null;
        for (WorkerConfig w : workers) {
            if (sharesWorker(url, w.name()) && (best == null || w.name().length() > best.name().length())) {
                best = w;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Whether a target {@code url} is served by the worker named {@code worker}: the name prefixes it
     * (case-insensitively) and the URL goes on with a path, a query or a regex group, or ends there.
     */
    static boolean sharesWorker(String url, String worker) {
        int n = worker.length();
        if (!url.regionMatches(true, 0, worker, 0, n)) {
            return false;
        }
        return url.length() == n || worker.endsWith("/") || "/?#$".indexOf(url.charAt(n)) >= 0;
    }
}
