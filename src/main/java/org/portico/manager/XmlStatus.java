package org.portico.manager;

import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.apache.hc.client5.http.utils.DateUtils;
import org.portico.balancer.Balancer;
import org.portico.balancer.BalancerSnapshot;
import org.portico.balancer.Worker;
import org.portico.config.BalancerConfig;
import org.portico.config.HealthCheck;
import org.portico.config.WorkerConfig;
import org.portico.config.WorkerParams;
import org.portico.health.CheckOutcome;
import org.portico.health.HealthChecks;
import org.portico.health.OutlierEjection;

/**
 * httpd's {@code ?xml=1} document, element for element and in httpd's order, so that tools written
 * for httpd's balancer-manager read Portico's. Optional elements appear under httpd's conditions
 * (stickysession and nofailover only for a sticky balancer, maxattempts only when set, and so on).
 * Written with StAX, indented as httpd indents it.
 */
final class XmlStatus {

    private static final String NS = "http://httpd.apache.org";
    /**
     * httpd's prolog and root start tag, quoted with apostrophes as httpd writes them; XMLStreamWriter
     * quotes with double quotes, so these two constant lines (and the root's end tag) are written as text.
     */
    static final String PROLOG = "<?xml version='1.0' encoding='UTF-8' ?>\n<httpd:manager xmlns:httpd='" + NS + "'>";
    static final String EPILOGUE = "\n</httpd:manager>";
    private static final XMLOutputFactory XML = XMLOutputFactory.newFactory();
    /** Characters XML 1.0 cannot carry at all, which StAX would write as they are (a backend's text can hold them). */
    private static final Pattern XML_1_0_CONTROLS = Pattern.compile("[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F]");

    private final XMLStreamWriter out;

    private XmlStatus(XMLStreamWriter out) {
        this.out = out;
    }

    static String render(List<Balancer> balancers) {
        return render(balancers, null);
    }

    /**
     * @param health the gateway's health checks, for the hc elements Portico adds after httpd's own (httpd's
     *               XML has none); null shows the configuration with zero counters
     */
    static String render(List<Balancer> balancers, HealthChecks health) {
        StringWriter text = new StringWriter(4096).append(PROLOG);
        try {
            XMLStreamWriter w = XML.createXMLStreamWriter(text);
            XmlStatus doc = new XmlStatus(w);
            doc.open(2, "balancers");
            for (Balancer b : balancers) {
                doc.balancer(b, health);
            }
            doc.close(2);
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("writing the XML status to a string failed", e);
        }
        return text.append(EPILOGUE).toString();
    }

    private void balancer(Balancer b, HealthChecks health) throws XMLStreamException {
        BalancerSnapshot s = b.snapshot(); // lbstatus values from one moment, as the lbmethod left them
        BalancerConfig c = s.config();
        open(4, "balancer");
        el(6, "name", c.url());
        if (c.sticky()) {
            el(6, "stickysession", c.stickyCookie());
            el(6, "nofailover", c.noFailover() ? "On" : "Off");
        }
        el(6, "timeout", Long.toString(c.timeout() == null ? 0 : c.timeout().toSeconds()));
        if (c.maxAttempts() != null) {
            el(6, "maxattempts", c.maxAttempts().toString());
        }
        el(6, "lbmethod", s.lbmethod());
        if (c.sticky()) {
            el(6, "scolonpathdelim", c.scolonPathDelim() ? "On" : "Off");
        }
        open(6, "workers");
        for (Worker w : s.members()) {
            worker(w, s.lbstatus(w), health, b);
        }
        close(6);
        close(4);
    }

    private void worker(Worker w, long lbstatus, HealthChecks health, Balancer b) throws XMLStreamException {
        WorkerConfig wc = w.config();
        WorkerParams p = wc.params();
        String lf = String.format(Locale.ROOT, "%.2f", p.loadfactor());
        open(8, "worker");
        el(10, "name", wc.name());
        el(10, "scheme", wc.scheme());
        el(10, "hostname", wc.host());
        el(10, "loadfactor", lf);
        el(10, "port", Integer.toString(wc.port()));
        el(10, "min", Integer.toString(p.min()));
        el(10, "smax", Integer.toString(p.smax()));
        el(10, "max", Integer.toString(p.max()));
        el(10, "ttl", Long.toString(p.ttl() == null ? 0 : p.ttl().toSeconds()));
        if (p.timeout() != null) {
            el(10, "timeout", Long.toString(p.timeout().toSeconds()));
        }
        if (p.acquire() != null) {
            el(10, "acquire", Long.toString(p.acquire().toMillis()));
        }
        if (p.receiveBufferSize() > 0) {
            el(10, "recv_buffer_size", Integer.toString(p.receiveBufferSize()));
        }
        if (p.ioBufferSize() != WorkerParams.defaults().ioBufferSize()) {
            el(10, "io_buffer_size", Integer.toString(p.ioBufferSize()));
        }
        if (p.keepalive()) {
            el(10, "keepalive", "On");
        }
        el(10, "status", w.statusString());
        if (w.errorTimeMillis() > 0) {
            el(10, "error_time", date(w.errorTimeMillis()));
        }
        el(10, "retries", Long.toString(w.retries()));
        el(10, "lbstatus", Long.toString(lbstatus));
        el(10, "loadfactor", lf);
        el(10, "transferred", Long.toString(w.bytesTransferred()));
        el(10, "read", Long.toString(w.bytesRead()));
        el(10, "elected", Long.toString(w.electedCount()));
        el(10, "route", p.route());
        el(10, "redirect", p.redirect());
        el(10, "busy", Integer.toString(w.busy()));
        el(10, "lbset", Integer.toString(p.lbset()));
        if (p.disableReuse()) {
            el(10, "disablereuse", "On");
        }
        if (p.connectionTimeout() != null) {
            el(10, "connectiontimeout", Long.toString(p.connectionTimeout().toMillis()));
        }
        if (!p.retry().equals(WorkerParams.defaults().retry())) {
            el(10, "retry", Long.toString(p.retry().toSeconds()));
        }
        OutlierEjection.Ejected ejected = health == null ? null : health.ejected(b, w);
        if (ejected != null) {
            el(10, "ejected_until", date(ejected.untilMillis()));
            el(10, "ejected_reason", ejected.reason());
        }
        HealthCheck hc = p.healthCheck();
        if (hc.enabled()) {
            HealthColumns h = HealthColumns.of(w, health);
            el(10, "hcmethod", hc.method());
            el(10, "hcinterval", Long.toString(hc.interval().toMillis()));
            el(10, "hcpasses", h.passes());
            el(10, "hcfails", h.fails());
            el(10, "hcuri", hc.uri());
            el(10, "hcexpr", hc.expr());
            CheckOutcome last = h.last();
            if (last != null) {
                el(10, "hclast_time", date(last.startedMillis()));
                el(10, "hclast_result", last.passed() ? "passed" : "failed");
                el(10, "hclast_detail", last.detail());
                el(10, "hclast_duration", Long.toString(last.durationMillis()));
            }
        }
        close(8);
    }

    /** httpd's apr_rfc822_date (a two-digit day, GMT), which is HTTP's IMF-fixdate. */
    static String date(long epochMillis) {
        return DateUtils.formatStandardDate(Instant.ofEpochMilli(epochMillis));
    }

    private void open(int indent, String name) throws XMLStreamException {
        out.writeCharacters("\n" + " ".repeat(indent));
        out.writeStartElement("httpd", name, NS);
    }

    private void close(int indent) throws XMLStreamException {
        out.writeCharacters("\n" + " ".repeat(indent));
        out.writeEndElement();
    }

    private void el(int indent, String name, String value) throws XMLStreamException {
        open(indent, name);
        out.writeCharacters(value == null ? "" : XML_1_0_CONTROLS.matcher(value).replaceAll("\uFFFD"));
        out.writeEndElement();
    }
}
