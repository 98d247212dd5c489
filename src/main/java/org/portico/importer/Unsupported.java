package org.portico.importer;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Why a directive that is not about reverse proxying has no place in a Portico descriptor. */
final class Unsupported {

    private static final Map<String, String> BY_NAME = Map.ofEntries(
            Map.entry("listen", "the listening address is the container's (the standalone jar takes --host and --port)"),
            Map.entry("serverroot", "Portico has no server root; Include paths were resolved against it"),
            Map.entry("serveralias", "the container's virtual hosts decide which names reach Portico"),
            Map.entry("serveradmin", "Portico's error pages name no administrator"),
            Map.entry("documentroot", "Portico serves no files of its own; excluded paths go to the container's default servlet"),
            Map.entry("directoryindex", "Portico serves no files of its own"),
            Map.entry("alias", "Portico serves no files of its own"),
            Map.entry("scriptalias", "Portico runs no CGI"),
            Map.entry("redirect", "mod_alias redirects are not Portico's; the backend or the container can answer them"),
            Map.entry("redirectmatch", "mod_alias redirects are not Portico's; the backend or the container can answer them"),
            Map.entry("proxyrequests", "Portico is a reverse proxy only: no forward proxying (ProxyRequests On)"),
            Map.entry("proxystatus", "the balancer-manager shows the members' state"),
            Map.entry("proxyreceivebuffersize", "set receivebuffersize on each worker instead"),
            Map.entry("proxypassinterpolateenv", "Portico does not interpolate environment variables into rules"),
            Map.entry("proxysourceaddress", "Portico connects from the address the operating system chooses"),
            Map.entry("proxyremote", "Portico does not forward to another proxy"),
            Map.entry("proxyremotematch", "Portico does not forward to another proxy"),
            Map.entry("noproxy", "Portico does not forward to another proxy"),
            Map.entry("proxyblock", "Portico is a reverse proxy only"),
            Map.entry("proxydomain", "Portico is a reverse proxy only"),
            Map.entry("balancerinherit", "a descriptor describes one server: the main server's balancers are always visible"),
            Map.entry("usecanonicalname", "Portico builds absolute URLs from the request's Host"),
            Map.entry("hostnamelookups", "logging is the container's"),
            Map.entry("user", "the process's user is the container's"),
            Map.entry("group", "the process's group is the container's"),
            Map.entry("pidfile", "the container's"),
            Map.entry("mutex", "Portico needs no inter-process mutex"),
            Map.entry("defaultruntimedir", "the container's"),
            Map.entry("options", "Portico serves no files of its own"),
            Map.entry("allowoverride", "Portico reads no .htaccess files"),
            Map.entry("accessfilename", "Portico reads no .htaccess files"),
            Map.entry("addtype", "Portico serves no files of its own"),
            Map.entry("addhandler", "Portico serves no files of its own"),
            Map.entry("adddefaultcharset", "Portico passes the backend's Content-Type on"),
            Map.entry("errordocument", "Portico's error pages are httpd's canned ones"),
            Map.entry("servertokens", "Portico passes the backend's Server header on"),
            Map.entry("serversignature", "Portico's error pages carry no signature"),
            Map.entry("traceenable", "the container decides about TRACE"),
            Map.entry("use", "mod_macro is not Portico's: expand the macro and import the result"),
            Map.entry("undefmacro", "mod_macro is not Portico's"));

    private static final Set<String> ACCESS = Set.of("require", "order", "allow", "deny", "satisfy", "authtype", "authname",
            "authuserfile", "authgroupfile", "authbasicprovider", "authdigestprovider");

    private Unsupported() {
    }

    static String reason(String directive) {
        String d = directive.toLowerCase(Locale.ROOT);
        String known = BY_NAME.get(d);
        if (known != null) {
            return known;
        }
        if (ACCESS.contains(d) || d.startsWith("auth") || d.startsWith("require")) {
            return "access control is the container's (security constraints and its realm)";
        }
        if (d.startsWith("ssl")) {
            return "TLS towards clients is the container's connector; towards backends, https:// workers use the JVM's"
                    + " trust store or a <trust-store>";
        }
        if (d.startsWith("rewrite")) {
            return "mod_rewrite is not Portico's; a RewriteRule with [P] can often be written as a pass-match";
        }
        if (d.equals("header") || d.equals("requestheader")) {
            return "mod_headers is not Portico's";
        }
        if (d.startsWith("setenv") || d.equals("browsermatch") || d.equals("unsetenv") || d.equals("passenv")) {
            return "Portico has no environment variables (no-proxy, proxy-nokeepalive, ...)";
        }
        if (d.contains("log")) {
            return "logging is the container's";
        }
        if (d.startsWith("keepalive") || d.startsWith("maxkeepalive") || d.startsWith("maxrequest") || d.startsWith("maxconnections")
                || d.endsWith("servers") || d.endsWith("threads") || d.startsWith("threads") || d.startsWith("serverlimit")
                || d.startsWith("threadlimit") || d.equals("limitrequestbody") || d.equals("enablesendfile") || d.equals("enablemmap")) {
            return "connections, threads and limits towards clients are the container's";
        }
        if (d.startsWith("expires") || d.startsWith("deflate") || d.startsWith("addoutputfilter") || d.startsWith("setoutputfilter")
                || d.startsWith("setinputfilter") || d.startsWith("cache")) {
            return "Portico applies no content filters or caching";
        }
        return "no Portico equivalent";
    }
}
