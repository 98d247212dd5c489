package org.portico.importer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The mod_proxy_balancer manual's sticky-cookie recipe,
 * {@code Header add Set-Cookie "ROUTEID=.%{BALANCER_WORKER_ROUTE}e; path=/" env=BALANCER_ROUTE_CHANGED}: the one
 * mod_headers line Portico imports, as {@code route-cookie="true"} on each balancer whose sticky cookie the
 * recipe sets. Portico writes {@code NAME=<session>.route; path=/} when a request did not go where its route
 * said, which is what the recipe writes for a client without a session; any other spelling of the recipe
 * (another path, more attributes) is imported the same with a note saying what Portico writes.
 */
final class RouteCookieRecipe {

    private static final Pattern VALUE = Pattern.compile("([^=;\\s]+)=([^;]*)%\\{BALANCER_WORKER_ROUTE\\}e(.*)");

    private record Recipe(String cookie, String exact, Where where, String text) {
    }

    private final List<Recipe> recipes = new ArrayList<>();

    /**
     * Takes {@code Header [always|onsuccess] add|set|append Set-Cookie VALUE env=BALANCER_ROUTE_CHANGED}; returns
     * false for every other Header line, which the caller reports as not imported.
     */
    boolean take(ConfigNode.Directive d) {
        List<String> a = new ArrayList<>(d.args());
        if (!a.isEmpty() && (a.get(0).equalsIgnoreCase("always") || a.get(0).equalsIgnoreCase("onsuccess"))) {
            a.remove(0);
        }
        if (a.size() != 4 || !List.of("add", "set", "append").contains(a.get(0).toLowerCase(Locale.ROOT))
                || !a.get(1).equalsIgnoreCase("Set-Cookie") || !a.get(3).equals("env=BALANCER_ROUTE_CHANGED")) {
            return false;
        }
        Matcher m = VALUE.matcher(a.get(2));
        if (!m.matches()) {
            return false;
        }
        boolean exact = m.group(2).equals(".") && m.group(3).trim().equalsIgnoreCase("; path=/");
        recipes.add(new Recipe(m.group(1), exact ? "" : a.get(2), d.where(), d.text()));
        return true;
    }

    /** Sets route-cookie on the balancers whose sticky cookie a recipe names, and reports the rest. */
    void apply(ProxyModel model, ImportReport report) {
        for (Recipe r : recipes) {
            List<String> names = new ArrayList<>();
            for (ProxyModel.BalancerEntry b : model.balancers.values()) {
                String sticky = b.attributes.get("stickysession");
                if (sticky != null && List.of(sticky.split("\\|")).contains(r.cookie())) {
                    b.attributes.put("route-cookie", "true");
                    names.add("balancer://" + b.name);
                }
            }
            if (names.isEmpty()) {
                report.notImported(r.where(), r.text(), "no balancer has stickysession=" + r.cookie()
                        + ": Portico re-issues a balancer's own sticky cookie only (route-cookie)");
            } else {
                report.note(r.where(), r.text() + ": imported as route-cookie=\"true\" on " + String.join(", ", names)
                        + (r.exact().isEmpty() ? "" : "; Portico writes " + r.cookie() + "=<session>.<route>; path=/,"
                                + " not '" + r.exact() + "'"));
            }
        }
    }
}
