package org.portico.proxy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.portico.testkit.Backend;
import org.portico.testkit.FlappingBackend;
import org.portico.testkit.MisbehavingBackend;
import org.portico.testkit.MisbehavingBackend.Mode;

/**
 * The backends behind the proxy under test and the one descriptor that routes to all of them. Every
 * scenario has its own pass path, so the checks share one deployment without sharing state; in
 * particular each balancer is used by one check only.
 *
 * <pre>
 * settings: via="on" (preserve-host off, add-headers on)
 * /app                    -&gt; alpha/app            prefix, segment boundary
 * /dir/                   -&gt; alpha/dir/           "/dir" does not match
 * /doubled                -&gt; alpha/doubled/       "/doubled/x" becomes "/doubled//x"
 * /joined/                -&gt; alpha/joined         "/joined/x" becomes "/joinedx"
 * /site/local/            !                       served by the container
 * /site/                  -&gt; alpha/site/
 * /order                  -&gt; alpha/first         first match wins over ...
 * /order/specific         -&gt; beta/second         ... this more specific rule
 * ^/match/(.+)\.txt$      -&gt; alpha/files/$1.dat
 * ^/whole/.*\.gif$        -&gt; alpha/gifs           no $n: the whole path is appended
 * ^(/dollar-balancer/.*)$ -&gt; balancer://dollar$1   alpha (no path), beta/base: $1 right after the name
 * ^(/dollar-worker/.*)$   -&gt; alpha$1             $1 right after the port
 * ^/dollar-optional(/.*)?$ -&gt; beta$1            an empty group: the backend gets "/"
 * ^/dollar-glued(.*)$     -&gt; beta$1              a group without '/': 400, nothing sent
 * /alpha/                 -&gt; alpha/              general pass-through for headers, bodies, encoding
 * /rr/                    -&gt; balancer://round-robin/   alpha/rr, beta/rr
 * /weighted/              -&gt; balancer://weighted/      alpha/lf loadfactor 1, beta/lf loadfactor 2
 * /half-dead/             -&gt; balancer://half-dead/     refused port, beta/hd
 * /metered/               -&gt; balancer://metered/       refused port, beta (the metrics' check)
 * /download-abort/        -&gt; balancer://download-abort/ alpha, beta; failonstatus 502
 * /refused/, /hang/ (worker timeout 1s), /close-before-status/, /garbage/, /bad-header/, /die-early/, /die-cl/, /die-chunked/
 * /checked/               -&gt; balancer://checked/        flapping (GET /health every 100ms), beta/standby as +H
 * /ping/                  -&gt; balancer://ping/           silent (ping 500ms), beta (ping 10s)
 * /ejecting/              -&gt; balancer://ejecting/       alpha/ej, beta/ej; eject-after 3 in 30s
 * </pre>
 */
final class ProxyTopology implements AutoCloseable {

    Backend alpha;
    Backend beta;
    MisbehavingBackend hang;
    MisbehavingBackend closeBeforeStatus;
    MisbehavingBackend garbage;
    MisbehavingBackend badHeader;
    MisbehavingBackend dieBeforeBody;
    MisbehavingBackend dieWithLength;
    MisbehavingBackend dieChunked;
    FlappingBackend flapping;
    MisbehavingBackend silent;
    int refusedPort;
    Path descriptor;

    private ProxyTopology() {
    }

    /** Starts every backend and writes the descriptor; on failure stops what was started. */
    static ProxyTopology start() throws Exception {
        ProxyTopology t = new ProxyTopology();
        try {
            t.alpha = Backend.start("alpha");
            t.beta = Backend.start("beta");
            t.hang = MisbehavingBackend.start(Mode.HANG);
            t.closeBeforeStatus = MisbehavingBackend.start(Mode.CLOSE_BEFORE_STATUS);
            t.garbage = MisbehavingBackend.start(Mode.GARBAGE_STATUS_LINE);
            t.badHeader = MisbehavingBackend.start(Mode.BAD_HEADER_LINE);
            t.dieBeforeBody = MisbehavingBackend.start(Mode.DIE_BEFORE_BODY);
            t.dieWithLength = MisbehavingBackend.start(Mode.DIE_MID_BODY_CONTENT_LENGTH);
            t.dieChunked = MisbehavingBackend.start(Mode.DIE_MID_BODY_CHUNKED);
            t.refusedPort = MisbehavingBackend.refusedPort();
            t.flapping = FlappingBackend.start("flapping");
            t.silent = MisbehavingBackend.start(Mode.SILENT);
            t.descriptor = Files.createTempFile("portico-it-", ".xml");
            Files.writeString(t.descriptor, t.descriptorXml(), StandardCharsets.UTF_8);
            return t;
        } catch (Exception e) {
            try {
                t.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    String refusedOrigin() {
        return "http://127.0.0.1:" + refusedPort;
    }

    private String descriptorXml() {
        String a = alpha.origin();
        String b = beta.origin();
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <portico xmlns="urn:portico:descriptor:1">
                  <settings via="on"/>
                  <worker url="%7$s" timeout="1s"/>
                  <worker url="%1$s/noreuse" disablereuse="true"/>
                  <balancer name="round-robin">
                    <member url="%1$s/rr"/>
                    <member url="%2$s/rr"/>
                  </balancer>
                  <balancer name="weighted">
                    <member url="%1$s/lf" loadfactor="1"/>
                    <member url="%2$s/lf" loadfactor="2"/>
                  </balancer>
                  <balancer name="dollar">
                    <member url="%1$s"/>
                    <member url="%2$s/base"/>
                  </balancer>
                  <balancer name="download-abort" failonstatus="502">
                    <member url="%1$s"/>
                    <member url="%2$s"/>
                  </balancer>
                  <balancer name="half-dead">
                    <member url="%3$s"/>
                    <member url="%2$s/hd"/>
                  </balancer>
                  <balancer name="checked">
                    <member url="%11$s" hcmethod="GET" hcuri="/health" hcinterval="100ms"/>
                    <member url="%2$s/standby" status="+H"/>
                  </balancer>
                  <balancer name="ping">
                    <member url="%12$s" ping="500ms" timeout="30s"/>
                    <member url="%2$s" ping="10s"/>
                  </balancer>
                  <balancer name="ejecting" eject-after="3 in 30s">
                    <member url="%1$s/ej"/>
                    <member url="%2$s/ej"/>
                  </balancer>
                  <balancer name="metered">
                    <member url="%3$s"/>
                    <member url="%2$s"/>
                  </balancer>

                  <pass path="/app" to="%1$s/app"/>
                  <pass path="/dir/" to="%1$s/dir/"/>
                  <pass path="/doubled" to="%1$s/doubled/"/>
                  <pass path="/joined/" to="%1$s/joined"/>
                  <pass path="/site/local/" exclude="true"/>
                  <pass path="/site/" to="%1$s/site/"/>
                  <pass path="/order" to="%1$s/first"/>
                  <pass path="/order/specific" to="%2$s/second"/>
                  <pass-match pattern="^/match/(.+)\\.txt$" to="%1$s/files/$1.dat"/>
                  <pass-match pattern="^/whole/.*\\.gif$" to="%1$s/gifs"/>
                  <pass-match pattern="^(/dollar-balancer/.*)$" to="balancer://dollar$1"/>
                  <pass-match pattern="^(/dollar-worker/.*)$" to="%1$s$1"/>
                  <pass-match pattern="^/dollar-optional(/.*)?$" to="%2$s$1"/>
                  <pass-match pattern="^/dollar-glued(.*)$" to="%2$s$1"/>
                  <pass path="/noreuse/" to="%1$s/noreuse/"/>
                  <pass path="/alpha/" to="%1$s/"/>

                  <pass path="/rr/" to="balancer://round-robin/"/>
                  <pass path="/weighted/" to="balancer://weighted/"/>
                  <pass path="/half-dead/" to="balancer://half-dead/"/>
                  <pass path="/metered/" to="balancer://metered/"/>
                  <pass path="/download-abort/" to="balancer://download-abort/"/>

                  <pass path="/refused/" to="%3$s/"/>
                  <pass path="/hang/" to="%7$s/"/>
                  <pass path="/garbage/" to="%4$s/"/>
                  <pass path="/bad-header/" to="%5$s/"/>
                  <pass path="/die-early/" to="%9$s/"/>
                  <pass path="/die-cl/" to="%6$s/"/>
                  <pass path="/die-chunked/" to="%8$s/"/>
                  <pass path="/close-before-status/" to="%10$s/"/>
                  <pass path="/checked/" to="balancer://checked/"/>
                  <pass path="/ping/" to="balancer://ping/"/>
                  <pass path="/ejecting/" to="balancer://ejecting/"/>
                </portico>
                """.formatted(a, b, refusedOrigin(), garbage.origin(), badHeader.origin(), dieWithLength.origin(),
                hang.origin(), dieChunked.origin(), dieBeforeBody.origin(), closeBeforeStatus.origin(),
                flapping.origin(), silent.origin());
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        for (AutoCloseable c : new AutoCloseable[] {alpha, beta, hang, closeBeforeStatus, garbage, badHeader, dieBeforeBody, dieWithLength,
                dieChunked, flapping, silent}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        try {
            if (descriptor != null) {
                Files.deleteIfExists(descriptor);
            }
        } catch (IOException e) {
            first = first == null ? e : first;
        }
        if (first != null) {
            throw first;
        }
    }
}
