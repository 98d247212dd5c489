package org.portico.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** httpd's configuration syntax as the importer reads it: quotes, continuations, comments, case, Include, Define, If*. */
class HttpdSyntaxTest {

    @TempDir
    Path dir;

    @Test
    void wordsSplitOnWhiteSpaceAndQuotesHoldSpacesAndEscapedQuotes() {
        assertEquals(List.of("a", "b c", "d'e", "f\"g", "h\\i"), Words.split(" a \"b c\"  'd\\'e' \"f\\\"g\" h\\\\i "));
        // a quote inside a word is an ordinary character, as in httpd's ap_getword_conf
        assertEquals(List.of("key=\"a", "b\""), Words.split("key=\"a b\""));
        assertEquals(List.of("ok", "%{REQUEST_STATUS} =~ /^[23]/"), Words.splitWithBraces("ok {%{REQUEST_STATUS} =~ /^[23]/}"));
    }

    @Test
    void quotedArgumentsAreImportedWithoutTheirQuotes() throws Exception {
        HttpdImport.Result r = Imported.text(dir, "httpd.conf", """
                ProxyPass "/images/"  "http://127.0.0.1:9001/img/"
                ProxyPassReverseCookiePath "/old path" '/new path'
                ProxyHCExpr ok {%{REQUEST_STATUS} =~ /^[23]/}
                """);
        assertEquals("""
                hc-expr name=ok : %{REQUEST_STATUS} =~ /^[23]/
                pass path=/images/ to=http://127.0.0.1:9001/img/
                reverse-cookie-path from=/old path to=/new path""", Imported.canonicalText(r.descriptor()));
    }

    @Test
    void aBackslashAtTheEndOfALineContinuesTheDirective() throws Exception {
        HttpdImport.Result r = Imported.text(dir, "httpd.conf", """
                <Proxy balancer://c>
                  BalancerMember http://127.0.0.1:9001 \\
                      loadfactor=2 \\
                      route=a
                </Proxy>
                ProxyPass / \\
                  balancer://c/
                """);
        assertEquals("""
                balancer name=c
                  member loadfactor=2 route=a url=http://127.0.0.1:9001
                pass path=/ to=balancer://c/""", Imported.canonicalText(r.descriptor()));
        assertTrue(r.descriptor().contains("<pass path=\"/\" to=\"balancer://c/\"/>  <!-- " + dir.resolve("httpd.conf") + ":6 -->"),
                "a continued directive is placed at its first line: " + r.descriptor());
    }

    @Test
    void anErrorInAContinuedDirectiveNamesItsFirstLine() throws Exception {
        ImportException e = Imported.refused(dir, "httpd.conf", """
                # a comment
                BalancerMember balancer://c http://127.0.0.1:9001 \\
                    colour=blue
                """, 2);
        assertTrue(e.getMessage().contains("unknown Worker parameter"), e.getMessage());
    }

    @Test
    void windowsLineEndingsAndAByteOrderMarkAreRead() throws Exception {
        HttpdImport.Result r = Imported.text(dir, "httpd.conf", "\uFEFFProxyPass /a/ \\\r\n  http://127.0.0.1:9001/\r\n"
                + "ProxyPassReverse /a/ http://127.0.0.1:9001/\r\n");
        assertEquals("""
                pass path=/a/ to=http://127.0.0.1:9001/
                reverse path=/a/ url=http://127.0.0.1:9001/""", Imported.canonicalText(r.descriptor()));
        assertEquals(List.of(), Imported.reportLines(r));
    }

    @Test
    void commentLinesAreSkippedAndACommentAfterADirectiveIsDroppedWithAWarning() throws Exception {
        HttpdImport.Result r = Imported.text(dir, "httpd.conf", """
                # ProxyPass /commented http://127.0.0.1:9/
                    # indented comment: ProxyPass /also http://127.0.0.1:9/
                ProxyPass /a/ http://127.0.0.1:9001/   # to the app
                """);
        assertEquals("pass path=/a/ to=http://127.0.0.1:9001/", Imported.canonicalText(r.descriptor()));
        assertEquals(List.of("3 warning"), Imported.reportLines(r));
        assertTrue(Imported.reportText(r).contains("ignored '# to the app'"), Imported.reportText(r));
    }

    @Test
    void directiveSectionAndKeyNamesAreCaseInsensitive() throws Exception {
        HttpdImport.Result r = Imported.text(dir, "httpd.conf", """
                <proxy BALANCER://Cluster LbMethod=bytraffic>
                  BALANCERMEMBER http://127.0.0.1:9001 LOADFACTOR=2 Status=+h
                  proxyset STICKYSESSION=JSESSIONID
                </PROXY>
                proxypass /app/ balancer://cluster/ MaxAttempts=1
                PROXYPRESERVEHOST on
                """);
        assertEquals("""
                settings preserve-host=true
                balancer lbmethod=bytraffic maxattempts=1 name=cluster stickysession=JSESSIONID
                  member loadfactor=2 status=+h url=http://127.0.0.1:9001
                pass path=/app/ to=balancer://cluster/""", Imported.canonicalText(r.descriptor()));
    }

    @Test
    void lbmethodNamesAreCaseSensitiveAsInHttpd() throws Exception {
        ImportException e = Imported.refused(dir, "httpd.conf", "ProxyPass / balancer://c/ lbmethod=ByTraffic\n", 1);
        assertTrue(e.getMessage().contains("unknown lbmethod"), e.getMessage());
    }

    @Test
    void includesAreReadWhereTheyStandRelativeToTheIncludingFileWithWildcardsInOrder() throws Exception {
        Imported.write(dir, "conf.d/20-b.conf", "ProxyPass /b http://127.0.0.1:9002/b\n");
        Imported.write(dir, "conf.d/10-a.conf", "ProxyPass /a http://127.0.0.1:9001/a\n");
        Imported.write(dir, "conf.d/notes.txt", "ProxyPass /txt http://127.0.0.1:9009/\n");
        Imported.write(dir, "sites/one/site.conf", "Include more.conf\n");
        Imported.write(dir, "sites/one/more.conf", "ProxyPass /c http://127.0.0.1:9003/c\n");
        Imported.write(dir, "whole/x.conf", "ProxyPass /x http://127.0.0.1:9004/x\n");
        HttpdImport.Result r = Imported.text(dir, "httpd.conf", """
                ProxyPass /first http://127.0.0.1:9000/first
                Include conf.d/*.conf
                include "sites/*/site.conf"
                Include whole
                ProxyPass /last http://127.0.0.1:9005/last
                """);
        assertEquals("""
                pass path=/first to=http://127.0.0.1:9000/first
                pass path=/a to=http://127.0.0.1:9001/a
                pass path=/b to=http://127.0.0.1:9002/b
                pass path=/c to=http://127.0.0.1:9003/c
                pass path=/x to=http://127.0.0.1:9004/x
                pass path=/last to=http://127.0.0.1:9005/last""", Imported.canonicalText(r.descriptor()));
        assertTrue(r.descriptor().contains("<!-- " + dir.resolve("sites/one/more.conf") + ":1 -->"),
                "each element names the included file and line it comes from: " + r.descriptor());
    }

    @Test
    void includeOptionalMayFindNothing() throws Exception {
        HttpdImport.Result r = Imported.text(dir, "httpd.conf", """
                IncludeOptional missing.conf
                IncludeOptional nothing/*.conf
                ProxyPass / http://127.0.0.1:9001/
                """);
        assertEquals("pass path=/ to=http://127.0.0.1:9001/", Imported.canonicalText(r.descriptor()));
        assertEquals(List.of(), Imported.reportLines(r));
    }

    @Test
    void definedVariablesAndThenTheEnvironmentAreSubstituted() throws Exception {
        Path conf = Imported.write(dir, "httpd.conf", """
                Define BACKEND 127.0.0.1:9001
                Define APP /app
                ProxyPass ${APP}/ http://${BACKEND}${APP}/
                ProxyPass /env/ http://127.0.0.1:${PORT}/
                ProxyPass /undefined/ http://127.0.0.1:9003/${NOPE}/
                UnDefine APP
                ProxyPass /later/ http://127.0.0.1:9004${APP}/
                """);
        HttpdImport.Result r = HttpdImport.run(conf, null, Map.of("PORT", "9002")::get);
        assertEquals("""
                pass path=/app/ to=http://127.0.0.1:9001/app/
                pass path=/env/ to=http://127.0.0.1:9002/
                pass path=/undefined/ to=http://127.0.0.1:9003/${NOPE}/
                pass path=/later/ to=http://127.0.0.1:9004${APP}/""", Imported.canonicalText(r.descriptor()));
        assertEquals(List.of("5 warning", "7 warning"), Imported.reportLines(r));
        assertTrue(Imported.reportText(r).contains(conf + ":5: warning: variable ${NOPE} is not defined"), Imported.reportText(r));
    }

    @Test
    void ifModuleHoldsForPorticosModulesAndLoadedOnesAndSkipsTheRestAsHttpdDoes() throws Exception {
        HttpdImport.Result r = Imported.text(dir, "httpd.conf", """
                <IfModule mod_proxy.c>
                  <IfDefine !NO_BACKEND>
                    ProxyPass /a http://127.0.0.1:9001/
                  </IfDefine>
                </IfModule>
                <IfModule !mod_proxy_balancer.c>
                  ProxyPass /b http://127.0.0.1:9002/
                </IfModule>
                <IfModule mod_nonexistent.c>
                  ProxyPass /c http://127.0.0.1:9003/
                </IfModule>
                LoadModule foo_module /usr/lib/apache2/modules/mod_foo.so
                <IfModule mod_foo.c>
                  ProxyPass /d http://127.0.0.1:9004/
                </IfModule>
                <IfModule !bar_module>
                  ProxyPass /e http://127.0.0.1:9005/
                </IfModule>
                """);
        assertEquals("""
                pass path=/a to=http://127.0.0.1:9001/
                pass path=/d to=http://127.0.0.1:9004/
                pass path=/e to=http://127.0.0.1:9005/""", Imported.canonicalText(r.descriptor()));
        String report = Imported.reportText(r);
        assertTrue(report.contains(":2: warning: <IfDefine !NO_BACKEND>: its contents are imported as written"), report);
        assertTrue(report.contains(":6: not imported: <IfModule !mod_proxy_balancer.c> and its 1 directives"), report);
        assertTrue(report.contains(":9: not imported: <IfModule mod_nonexistent.c>"), report);
        assertFalse(report.contains(":1: "), report);
    }

}
