package org.portico.importer;

import java.util.Locale;

/** What a URL's scheme means to Portico. */
enum Scheme {
    HTTP, BALANCER, AJP, OTHER, NONE;

    static Scheme of(String url) {
        String u = url.toLowerCase(Locale.ROOT);
        if (u.startsWith("http://") || u.startsWith("https://") || u.startsWith("ws://") || u.startsWith("wss://")) {
            // mod_proxy_wstunnel's schemes: since httpd 2.4.47 mod_proxy_http serves them (upgrade=websocket implied)
            return HTTP;
        }
        if (u.startsWith("balancer://")) {
            return BALANCER;
        }
        if (u.startsWith("ajp://")) {
            return AJP;
        }
        return u.contains("://") || u.startsWith("unix:") ? OTHER : NONE;
    }

    static String unsupported(String url) {
        String u = url.toLowerCase(Locale.ROOT);
        if (u.startsWith("unix:")) {
            return "Portico does not proxy to Unix domain sockets";
        }
        if (u.startsWith("h2://") || u.startsWith("h2c://")) {
            return "Portico proxies to HTTP/1.1 backends (h2:// and h2c:// are not supported)";
        }
        int colon = u.indexOf(':');
        return "Portico proxies http://, https://, ws://, wss:// and balancer:// URLs, not " + (colon < 0 ? u : u.substring(0, colon)) + "://";
    }
}
