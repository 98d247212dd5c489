package org.portico.importer;

/**
 * Where a directive stands: in the main server or the chosen virtual host, inside a {@code <Location>}
 * (its path, or its regex for {@code <LocationMatch>}), inside a {@code <Proxy>} (its URL), or inside a
 * section whose contents Portico cannot take ({@code <Directory>}, {@code <If>}, ...).
 */
record Context(boolean vhost, String location, boolean locationRegex, String proxy, boolean proxyMatch, String container) {

    static Context server(boolean vhost) {
        return new Context(vhost, null, false, null, false, null);
    }

    Context inLocation(String path, boolean regex) {
        return new Context(vhost, path, regex, proxy, proxyMatch, container);
    }

    Context inProxy(String url, boolean match) {
        return new Context(vhost, location, locationRegex, url, match, container);
    }

    Context inContainer(String tag) {
        return new Context(vhost, location, locationRegex, proxy, proxyMatch, container == null ? tag : container);
    }

    /** How the place is named in messages. */
    String describe() {
        if (container != null) {
            return "inside " + container;
        }
        if (proxy != null) {
            return "inside <Proxy" + (proxyMatch ? "Match " : " ") + proxy + ">";
        }
        if (location != null) {
            return "inside <Location" + (locationRegex ? "Match " : " ") + location + ">";
        }
        return vhost ? "in the virtual host" : "in the main server";
    }
}
