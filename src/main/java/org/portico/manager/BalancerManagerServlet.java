package org.portico.manager;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.portico.balancer.Balancer;
import org.portico.balancer.Worker;
import org.portico.config.BackendTarget;
import org.portico.proxy.Gateway;
import org.portico.proxy.ProxyServlet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * httpd's balancer-manager at {@code /balancer-manager}: GET shows the balancers (HTML, httpd's XML with
 * {@code ?xml=1}, or JSON for {@code Accept: application/json}) and {@code /balancer-manager/traffic}
 * the live picture's data; POST changes a balancer or a member, with httpd's field names, as a form or
 * a JSON object. The container's security constraint and this servlet ({@link AdminOnly}) both admit
 * role {@code portico-admin} only; {@link CrossSiteGuard} adds httpd's CSRF defences, refusing out loud (403 with the
 * reason) where httpd ignores silently: changes need POST, a same-origin Origin or Referer, and the
 * balancer's nonce. Every value is validated before anything is applied.
 */
public final class BalancerManagerServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(BalancerManagerServlet.class);
    private static final int MAX_BODY = 64 * 1024;

    private transient Gateway gateway;
    private transient BalancerPersist persist;
    private transient TrafficHistory history;
    private transient EditValidator validator;
    /** One change at a time: validation, application and the state file see one consistent state. */
    private final transient Object edits = new Object();

    @Override
    public void init() throws ServletException {
        gateway = (Gateway) getServletContext().getAttribute(ProxyServlet.GATEWAY);
        if (gateway == null) {
            throw new ServletException("Portico did not start: no gateway in the servlet context (see the log above)");
        }
        persist = BalancerPersist.of(getServletContext());
        history = new TrafficHistory(gateway, persist.settings().sampleInterval(), System::currentTimeMillis);
        history.start();
        validator = new EditValidator(gateway.lbMethods(), gateway.descriptor().hcExprs(), persist.enabled());
    }

    @Override
    public void destroy() {
        if (history != null) {
            history.close();
        }
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
        if (!AdminOnly.admits(req, resp, persist.settings().allow())) {
            return;
        }
        CrossSiteGuard.protect(req, resp);
        super.service(req, resp);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo();
        if ("/traffic".equals(path)) {
            send(resp, 200, "application/json", Json.write(history.toJson()));
            return;
        }
        if (("/" + TrafficChart.SCRIPT_NAME).equals(path)) {
            send(resp, 200, "text/javascript", TrafficChart.script());
            return;
        }
        if (path != null && !"/".equals(path)) {
            send(resp, 404, "text/plain", "No such balancer-manager page: " + path + "\n");
            return;
        }
        EditParams p = EditParams.of(req.getParameterMap());
        boolean json = wantsJson(req);
        try {
            List<String> changes = p.changeFields();
            if (!changes.isEmpty()) {
                throw EditRefused.forbidden("method: GET never changes anything; send " + String.join(", ", changes)
                        + " in a POST with b, nonce and a same-origin Origin or Referer");
            }
            Requested sel = select(p, 404);
            if (p.has("xml")) {
                send(resp, 200, "text/xml", XmlStatus.render(gateway.balancers(), gateway.health()));
            } else if (json) {
                send(resp, 200, "application/json", Json.write(JsonStatus.render(gateway, serverName(req), persist.enabled())));
            } else {
                page(req, resp, 200, sel, List.of(), null);
            }
        } catch (EditRefused e) {
            refuse(req, resp, p, e, json);
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String type = req.getContentType() == null ? "" : req.getContentType().toLowerCase(Locale.ROOT);
        boolean jsonBody = type.startsWith("application/json");
        boolean json = jsonBody || wantsJson(req);
        if (!jsonBody && !type.startsWith("application/x-www-form-urlencoded")) {
            send(resp, 415, "text/plain", "Send changes as application/x-www-form-urlencoded (httpd's form fields) "
                    + "or as application/json (an object with the same field names), not '" + type + "'\n");
            return;
        }
        if (req.getContentLengthLong() > MAX_BODY) {
            send(resp, 413, "text/plain", "A balancer-manager change is at most " + MAX_BODY + " bytes\n");
            return;
        }
        EditParams p = EditParams.of(Map.of());
        try {
            p = jsonBody ? EditParams.fromJson(body(req)) : EditParams.of(req.getParameterMap());
            CrossSiteGuard.checkSameOrigin(req);
            Requested target = select(p, 400);
            if (target.balancer() == null) {
                throw EditRefused.badValue("b: name the balancer to change (its name without balancer://)");
            }
            CrossSiteGuard.checkNonce(p, target.balancer());
            List<String> notices = apply(p, target.balancer());
            LOG.info("balancer-manager: {} changed {}: {}", req.getRemoteUser(), target.balancer().config().url(), notices);
            if (p.has("xml")) {
                send(resp, 200, "text/xml", XmlStatus.render(gateway.balancers(), gateway.health()));
            } else if (json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("changes", notices);
                doc.putAll(JsonStatus.render(gateway, serverName(req), persist.enabled()));
                send(resp, 200, "application/json", Json.write(doc));
            } else {
                Balancer b = target.balancer();
                Worker w = p.given("w") ? b.member(EditParams.name(p.get("w"))) : null;
                page(req, resp, 200, new Requested(b, w), notices, null);
            }
        } catch (EditRefused e) {
            LOG.info("balancer-manager: refused a change by {} with {}: {}", req.getRemoteUser(), e.status(), e.getMessage());
            refuse(req, resp, p, e, json);
        }
    }

    /** Validates, applies and persists one change, under the edit lock. */
    private List<String> apply(EditParams p, Balancer b) throws EditRefused {
        synchronized (edits) {
            EditPlan plan = validator.validate(p, b);
            plan.apply(gateway);
            List<String> notices = new ArrayList<>(plan.changes());
            try {
                if (plan.discardState) {
                    if (!persist.discard()) {
                        notices.add("there was no saved state to discard");
                    }
                } else if (plan.changesSomething()) {
                    persist.save(gateway);
                }
            } catch (IOException e) {
                LOG.error("balancer-manager: the change is applied but could not be saved to {}: {}",
                        persist.settings().stateFile(), e.toString());
                notices.add("applied, but NOT saved to " + persist.settings().stateFile() + ": " + e.getMessage());
            }
            if (!plan.ignored.isEmpty()) {
                notices.add("ignored field(s) that are not the manager's: " + String.join(", ", plan.ignored));
            }
            if (notices.isEmpty()) {
                notices.add("nothing changed");
            }
            return notices;
        }
    }

    @Override
    protected void doTrace(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setHeader("Allow", "GET, HEAD, POST");
        send(resp, 405, "text/plain", "The balancer-manager answers GET and POST\n");
    }

    @Override
    protected void doPut(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        doTrace(req, resp);
    }

    @Override
    protected void doDelete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        doTrace(req, resp);
    }

    /** The balancer and member the request names, if any. */
    private record Requested(Balancer balancer, Worker worker) {
    }

    private Requested select(EditParams p, int unknownStatus) throws EditRefused {
        if (!p.given("b")) {
            return new Requested(null, null);
        }
        String name = EditParams.name(p.get("b"));
        if (BackendTarget.isBalancerUrl(name)) {
            try {
                name = BackendTarget.parse(name).balancer();
            } catch (IllegalArgumentException e) {
                throw EditRefused.badValue("b: " + e.getMessage());
            }
        }
        Balancer b = gateway.balancer(name);
        if (b == null) {
            List<String> names = new ArrayList<>();
            gateway.balancers().forEach(x -> names.add(x.name()));
            throw new EditRefused(unknownStatus, "b: there is no balancer named '" + name + "' (balancers: "
                    + (names.isEmpty() ? "none" : String.join(", ", names)) + ")");
        }
        Worker w = null;
        if (p.given("w")) {
            w = b.member(EditParams.name(p.get("w")));
            if (w == null && unknownStatus == 404) {
                throw new EditRefused(404, "w: " + b.config().url() + " has no member '" + EditParams.name(p.get("w")) + "'");
            }
        }
        return new Requested(b, w);
    }

    private void refuse(HttpServletRequest req, HttpServletResponse resp, EditParams p, EditRefused e, boolean json)
            throws IOException {
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("status", e.status());
            doc.put("error", e.getMessage());
            send(resp, e.status(), "application/json", Json.write(doc));
            return;
        }
        Requested sel;
        try {
            sel = select(p, 400);
        } catch (EditRefused ignored) {
            sel = new Requested(null, null);
        }
        page(req, resp, e.status(), sel, List.of(), e.getMessage());
    }

    private void page(HttpServletRequest req, HttpServletResponse resp, int status, Requested sel, List<String> notices,
                      String error) throws IOException {
        String managerUri = req.getContextPath() + req.getServletPath();
        ManagerPage.View view = new ManagerPage.View(managerUri, serverName(req), CrossSiteGuard.cspNonce(req),
                persist.enabled(), sel.balancer(), sel.worker(), notices, error);
        send(resp, status, "text/html", ManagerPage.render(gateway, history, view));
    }

    private String serverName(HttpServletRequest req) {
        String configured = gateway.descriptor().settings().serverName();
        return configured != null ? configured : req.getServerName();
    }

    private static boolean wantsJson(HttpServletRequest req) {
        String accept = req.getHeader("Accept");
        return accept != null && accept.contains("application/json") && !accept.contains("text/html");
    }

    private static String body(HttpServletRequest req) throws IOException, EditRefused {
        try (InputStream in = req.getInputStream()) {
            byte[] b = in.readNBytes(MAX_BODY + 1);
            if (b.length > MAX_BODY) {
                throw new EditRefused(413, "A balancer-manager change is at most " + MAX_BODY + " bytes");
            }
            return new String(b, StandardCharsets.UTF_8);
        }
    }

    private static void send(HttpServletResponse resp, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        resp.setStatus(status);
        resp.setContentType(type + "; charset=UTF-8");
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }
}
