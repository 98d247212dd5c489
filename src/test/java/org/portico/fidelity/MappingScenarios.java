package org.portico.fidelity;

import static org.portico.fidelity.Scenario.of;
import static org.portico.fidelity.Send.get;
import static org.portico.fidelity.Send.head;
import static org.portico.fidelity.Send.raw;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Which backend and path a request goes to, and how its path is encoded on the way. */
final class MappingScenarios {

    private MappingScenarios() {
    }

    static List<FrontConfig> configs() {
        return List.of(mapping(), encodedSlashesOn(), encodedSlashesNoDecode());
    }

    private static FrontConfig mapping() {
        String utf8 = new String("été".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        return FrontConfig.of("mapping", "ProxyPass, ProxyPassMatch, exclusions, balancer targets, encoding", """
                <Proxy balancer://one>
                  BalancerMember {b3}
                </Proxy>
                ProxyPass /app/private !
                ProxyPass /app/ {b1}/
                ProxyPass /pre/ {b1}/name/
                ProxyPass /two {b2}/name/two/
                ProxyPassMatch ^/re/(.*)$ {b1}/$1
                ProxyPassMatch ^/gif(/.*\\.gif)$ {b2}$1
                ProxyPassMatch ^/opt/x(/.*)?$ {b3}/name$1
                ProxyPass /bal/ balancer://one/
                ProxyPass /bslash balancer://one/
                ProxyPassMatch ^/bm(/.*)$ balancer://one$1
                ProxyPass /e/ {b1}/name/
                ProxyPass /nc/ {b1}/name/ nocanon
                <IfModule mod_nonexistent.c>
                  ProxyPass /ifmod/ {b4}/
                </IfModule>
                <IfModule mod_proxy.c>
                  ProxyPass /ifproxy/ {b4}/
                </IfModule>
                ProxyPassMatch (.*) {b5}$1
                """,
                of("map.prefix", "ProxyPass /app/ strips the prefix", get("/app/name/x")),
                of("map.query", "the query goes on as sent", get("/app/name/x?a=1&b=%20c&d")),
                of("map.exclusion", "ProxyPass /app/private ! keeps the path out of every later rule",
                        get("/app/private/name")).statusOnly(),
                of("map.worker-path", "the worker's own path is prepended", get("/pre/x")),
                of("map.worker-double-slash", "/two -> http://b/name/two/ sends /name/two//x (§12.2)", get("/two/x")),
                of("map.regex", "ProxyPassMatch with $1", get("/re/name/y")),
                of("map.regex-gif", "ProxyPassMatch ^/gif(/.*\\.gif)$ http://b$1", get("/gif/name/a.gif")),
                of("map.regex-empty-group", "an optional group that matched nothing: $1 is empty", get("/opt/x")),
                of("map.regex-group", "an optional group that matched", get("/opt/x/y")),
                of("map.balancer", "ProxyPass /bal/ balancer://one/", get("/bal/name/z")),
                of("map.balancer-no-double-slash", "ProxyPass /bslash balancer://one/ sends //name: httpd glues the strings (§12.2 says otherwise)",
                        get("/bslash/name")),
                of("map.balancer-dollar", "ProxyPassMatch ^/bm(/.*)$ balancer://one$1", get("/bm/name/q")),
                of("map.catch-all", "ProxyPassMatch (.*) http://b$1 takes the whole path", get("/name/ok")),
                of("map.ifmodule-absent", "<IfModule mod_nonexistent.c> is skipped (§12.24)", get("/ifmod/name/x")),
                of("map.ifmodule-proxy", "<IfModule mod_proxy.c> applies", get("/ifproxy/name/x")),
                of("map.merge-slashes", "runs of slashes are merged before mapping (§12.1)", get("/app//name//x")),
                of("map.dot-segments", "dot segments are resolved before mapping", get("/app/foo/../name/x")),
                of("map.absolute-form", "an absolute-form request target is mapped by its path",
                        get("http://{front}/app/name/abs")),
                of("map.head", "HEAD is proxied as HEAD", head("/app/name/h")),
                of("map.options-star", "OPTIONS * is answered by the server itself (§12.23)",
                        raw("OPTIONS * HTTP/1.1\r\nHost: {front}\r\n" + Send.USER_AGENT + "\r\n\r\n")),
                of("map.connect", "CONNECT to a reverse proxy (no mod_proxy_connect)",
                        raw("CONNECT {b1.hostport} HTTP/1.1\r\nHost: {b1.hostport}\r\n" + Send.USER_AGENT + "\r\n\r\n"))
                        .statusOnly(),
                of("enc.tilde", "%7E is decoded to ~ (§12.19)", get("/e/%7Euser")),
                of("enc.lowercase-escape", "%c3%a9 is re-encoded upper-case (§12.19)", get("/e/caf%c3%a9")),
                of("enc.raw-utf8", "raw UTF-8 bytes in the path are encoded (§12.19)", get("/e/" + utf8)),
                of("enc.reserved", "sub-delimiters and : @ pass as they are", get("/e/a+b;c=d,e!$&'()*:@")),
                of("enc.kept-escapes", "%20 %25 %3F stay encoded", get("/e/a%20b%25c%3Fd")),
                of("enc.slash-off", "AllowEncodedSlashes Off: %2F gets 404, not proxied", get("/e/a%2Fb")).statusOnly(),
                of("enc.nocanon", "nocanon: the path goes on as sent", get("/nc/%7Euser/caf%c3%a9")),
                of("enc.null", "%00 in a path gets 404 (§12.15)", get("/e/a%00b")).statusOnly(),
                of("enc.query-untouched", "the query is not canonicalised", get("/e/x?q=%7e%2f&r=a+b")));
    }

    private static FrontConfig encodedSlashesOn() {
        return FrontConfig.of("server-options", "AllowEncodedSlashes On, ProxyPreserveHost On, ProxyVia On,"
                + " ProxyBadHeader StartBody", """
                AllowEncodedSlashes On
                ProxyPreserveHost On
                ProxyVia On
                ProxyBadHeader StartBody
                ProxyPass /e/ {b1}/name/
                ProxyPass /h/ {b1}/
                ProxyPass /bad/ {badheader}/
                """,
                of("opt.bad-header-start-body", "ProxyBadHeader StartBody: the bad line is dropped, the rest is body (§12.7)",
                        get("/bad/x")),
                of("opt.slash-on", "AllowEncodedSlashes On: %2F is decoded to / (§12.19)", get("/e/a%2Fb")),
                of("opt.preserve-host", "ProxyPreserveHost On: the client's Host goes on", get("/h/name/p")),
                of("opt.preserve-host-name", "ProxyPreserveHost On with a name", get("/h/name/n")
                        .without("Host").with("Host: www.example.test")),
                of("opt.via-existing", "ProxyVia On after a client's Via", get("/h/name/v").with("Via: 1.0 upstream")));
    }

    private static FrontConfig encodedSlashesNoDecode() {
        return FrontConfig.of("nodecode", "AllowEncodedSlashes NoDecode, ProxyErrorOverride On, ProxyBadHeader Ignore", """
                AllowEncodedSlashes NoDecode
                ProxyErrorOverride On
                ProxyBadHeader Ignore
                ProxyPass /e/ {b1}/name/
                ProxyPass /st/ {b1}/status/
                ProxyPass /bad/ {badheader}/
                """,
                of("nd.slash-nodecode", "AllowEncodedSlashes NoDecode: %2F goes on encoded (§12.19)", get("/e/a%2Fb")),
                of("nd.override-500", "ProxyErrorOverride On: a backend 500 becomes the server's page", get("/st/500"))
                        .statusOnly(),
                of("nd.override-500-page", "ProxyErrorOverride On: the server's 500 page", get("/st/500")),
                of("nd.override-404", "ProxyErrorOverride On: a backend 404", get("/st/404")).statusOnly(),
                of("nd.override-200", "ProxyErrorOverride On leaves a 200 alone", get("/st/200")),
                of("nd.bad-header-ignore", "ProxyBadHeader Ignore: the line without a colon is dropped", get("/bad/x")));
    }
}
