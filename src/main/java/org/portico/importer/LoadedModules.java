package org.portico.importer;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The modules an {@code <IfModule>} test sees as loaded: those a {@code LoadModule} earlier in the
 * configuration named, the ones httpd 2.4 has compiled in, and the ones Portico itself is (the proxy,
 * balancer, lbmethod and health-check modules), whether or not a LoadModule names them, since a
 * configuration imported without its LoadModule lines means them to be there (spec section 12 item 24).
 * A test names a module by its identifier ({@code proxy_module}) or its source file ({@code mod_proxy.c});
 * both come down to one key ({@code proxy}).
 */
final class LoadedModules {

    /** What Portico is, as module keys. */
    private static final Pattern PORTICO = Pattern.compile("(proxy|proxy_.*|lbmethod_.*|slotmem_.*|watchdog|heartmonitor)");
    /** Compiled into Debian's httpd 2.4 (apache2 -l). */
    private static final Set<String> BUILT_IN = Set.of("core", "http_core", "so", "watchdog", "log_config", "logio",
            "version", "unixd");

    private final Set<String> loaded = new HashSet<>();

    /** Records {@code LoadModule identifier file}. */
    void load(String identifier) {
        loaded.add(key(identifier));
    }

    /** Whether {@code <IfModule test>} holds; {@code test} may start with '!'. */
    boolean holds(String test) {
        boolean negate = test.startsWith("!");
        String k = key(negate ? test.substring(1) : test);
        boolean present = loaded.contains(k) || BUILT_IN.contains(k) || PORTICO.matcher(k).matches();
        return present != negate;
    }

    private static String key(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        if (n.endsWith(".c")) {
            n = n.substring(0, n.length() - 2);
            return n.startsWith("mod_") ? n.substring(4) : n;
        }
        return n.endsWith("_module") ? n.substring(0, n.length() - "_module".length()) : n;
    }
}
