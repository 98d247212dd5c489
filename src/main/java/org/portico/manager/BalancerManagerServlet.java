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
import org.portico.proxy.LiveGateway;
import org.portico.proxy.ProxyServlet;
import org.portico.reload.DescriptorReload;
import org.portico.shared.SharedSync;
import org.portico.shared.StoreWrite;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * httpd's balancer-manager at {@code /balancer-manager}: GET shows the balancers (HTML, httpd's XML with
 * {@code ?xml=1}, or JSON for {@code Accept: application/json}) and {@code /balancer-manager/traffic}
 * the live picture's data; POST changes a balancer or a member, with httpd's field names, as a form or
 * a JSON object. The container's security constraint and this servlet ({@link AdminOnly}) both admit
 * role {@code portico-admin} only; {@link CrossSiteGuard} adds httpd's CSRF defences, refusing out loud (403 with the
 * reason) where httpd ignores silently: changes need POST, a same-origin Origin or Referer, and the
 * balancer's nonce. Every value is validated before anything is applied. A POST with {@code reload=1} reloads
 * the descriptor ({@link DescriptorReload}) under the same checks. Each request works on one generation of the
 * proxy, the newest when it came; changes run under the {@link LiveGateway}'s monitor, so never while a reload
 * swaps generations.
 */
public final class BalancerManagerServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(BalancerManagerServlet.class);
    private static final int MAX_BODY = 64 * 1024;

    /** Also the lock of changes: one at a time, and never during a reload's swap. */
    private transient LiveGateway live;
    private transient BalancerPersist persist;
    private transient TrafficHistory history;
    /** Null when the web app was started without one (the reload action then answers 409). */
    private transient DescriptorReload reload;

    @Override
    public void init() throws ServletException {
        live = (LiveGateway) getServletContext().getAttribute(ProxyServlet.GATEWAY);
        if (live == null) {
            throw new ServletException("Portico did not start: no gateway in the servlet context (see the log above)");
        }
        persist = BalancerPersist.of(getServletContext());
        reload = (DescriptorReload) getServletContext().getAttribute(DescriptorReload.ATTRIBUTE);
        history = new TrafficHistory(live::current, persist.settings().sampleInterval(), System::currentTimeMillis);
        history.start();
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
        Gateway gateway = live.current();
        try {
            List<String> changes = p.changeFields();
            if (!changes.isEmpty()) {
                throw EditRefused.forbidden("method: GET never changes anything; send " + String.join(", ", changes)
                        + " in a POST with b, nonce and a same-origin Origin or Referer");
            }
            Requested sel = select(gateway, p, 404);
            if (p.has("xml")) {
                send(resp, 200, "text/xml", XmlStatus.render(gateway.balancers(), gateway.health()));
            } else if (json) {
                send(resp, 200, "application/json", Json.write(status(gateway, req)));
            } else {
                page(gateway, req, resp, 200, sel, List.of(), null);
            }
        } catch (EditRefused e) {
            refuse(gateway, req, resp, p, e, json);
        }
    }

    /** The JSON status: the balancers, and the generation running with its latest reload attempt. */
    private Map<String, Object> status(Gateway gateway, HttpServletRequest req) {
        Map<String, Object> doc = JsonStatus.render(gateway, serverName(gateway, req), persist.enabled());
        doc.put("descriptor", JsonStatus.descriptor(gateway, reload));
        SharedSync sync = shared();
        if (sync != null) {
            doc.put("sharedState", SharedStatus.json(sync, gateway));
        }
        return doc;
    }

    /** The shared state's client, when {@code portico.shared-state} is on; else null. */
    private SharedSync shared() {
        return getServletContext().getAttribute(SharedSync.ATTRIBUTE) instanceof SharedSync s ? s : null;
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
        Gateway gateway = live.current();
        try {
            p = jsonBody ? EditParams.fromJson(body(req)) : EditParams.of(req.getParameterMap());
            CrossSiteGuard.checkSameOrigin(req);
            if (p.given(EditParams.RELOAD)) {
                reload(req, resp, p, json);
                return;
            }
            List<String> notices;
            Requested target;
            EditPlan plan;
            List<StoreWrite> writes = null;
            SharedSync sync = shared();
            synchronized (live) {
                // under the lock: the newest generation, which no reload replaces until the change is made
                gateway = live.current();
                target = select(gateway, p, 400);
                if (target.balancer() == null) {
                    throw EditRefused.badValue("b: name the balancer to change (its name without balancer://)");
                }
                CrossSiteGuard.checkNonce(p, target.balancer());
                plan = new EditValidator(gateway.lbMethods(), gateway.descriptor().hcExprs(), persist.enabled())
                        .validate(p, target.balancer());
                if (sync != null && SharedEdits.shares(plan)) {
                    SharedEdits.checkReachable(sync);
                    writes = SharedEdits.writes(plan, p, sync);
                    notices = null;
                } else {
                    notices = apply(gateway, plan);
                }
            }
            if (writes != null) {
                // every instance, this one included, applies the change when its watch delivers it
                String late = SharedEdits.commit(writes, sync);
                plan.changes.add("shared through " + sync.address() + " with every instance");
                if (late != null) {
                    plan.changes.add(late);
                }
                notices = finish(plan, live.current());
                gateway = live.current();
            }
            LOG.info("balancer-manager: {} changed {}: {}", req.getRemoteUser(), target.balancer().config().url(), notices);
            if (p.has("xml")) {
                send(resp, 200, "text/xml", XmlStatus.render(gateway.balancers(), gateway.health()));
            } else if (json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("changes", notices);
                doc.putAll(status(gateway, req));
                send(resp, 200, "application/json", Json.write(doc));
            } else {
                Balancer b = target.balancer();
                Worker w = p.given("w") ? b.member(EditParams.name(p.get("w"))) : null;
                page(gateway, req, resp, 200, new Requested(b, w), notices, null);
            }
        } catch (EditRefused e) {
            LOG.info("balancer-manager: refused a change by {} with {}: {}", req.getRemoteUser(), e.status(), e.getMessage());
            refuse(live.current(), req, resp, p, e, json);
        }
    }

    /**
     * The "Reload descriptor" action: same origin (checked before), and the nonce of the balancer {@code b} names
     * when the running descriptor has balancers. 200 when the new descriptor runs, 409 with
     * {@code file:line:column: problem} when it was refused and the running one goes on.
     */
    private void reload(HttpServletRequest req, HttpServletResponse resp, EditParams p, boolean json)
            throws IOException, EditRefused {
        if (reload == null || !reload.settings().mode().manual()) {
            throw new EditRefused(409, "reload: descriptor reloads are off (portico.reload=off); set portico.reload="
                    + "manual or watch and restart to reload from here");
        }
        Gateway running = live.current();
        if (!running.balancers().isEmpty()) {
            Requested target = select(running, p, 400);
            if (target.balancer() == null) {
                throw EditRefused.badValue("b: a reload needs b and that balancer's nonce (any balancer's will do)");
            }
            CrossSiteGuard.checkNonce(p, target.balancer());
        }
        DescriptorReload.Outcome outcome = reload.reload(req.getRemoteUser() == null ? "balancer-manager"
                : "balancer-manager, " + req.getRemoteUser());
        LOG.info("balancer-manager: {} reloaded the descriptor: {}", req.getRemoteUser(),
                outcome.applied() ? "applied, " + outcome.message() : "refused, " + outcome.message());
        int status = outcome.applied() ? 200 : 409;
        Gateway gateway = live.current();
        String text = outcome.applied() ? "descriptor reloaded: " + outcome.message()
                : "descriptor NOT reloaded, generation " + outcome.generation() + " goes on: " + outcome.message();
        if (p.has("xml")) {
            send(resp, status, "text/xml", XmlStatus.render(gateway.balancers(), gateway.health()));
        } else if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            if (outcome.applied()) {
                doc.put("changes", List.of(text));
            } else {
                doc.put("status", status);
                doc.put("error", text);
            }
            doc.putAll(status(gateway, req));
            send(resp, status, "application/json", Json.write(doc));
        } else {
            page(gateway, req, resp, status, new Requested(null, null), outcome.applied() ? List.of(text) : List.of(),
                    outcome.applied() ? null : text);
        }
    }

    /** Applies and persists one validated change; the caller holds the edit lock. */
    private List<String> apply(Gateway gateway, EditPlan plan) {
        plan.apply(gateway);
        return finish(plan, gateway);
    }

    /** After a change was applied (here, or by the shared state's watch): persists it and says what it did. */
    private List<String> finish(EditPlan plan, Gateway gateway) {
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

    private static Requested select(Gateway gateway, EditParams p, int unknownStatus) throws EditRefused {
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

    private void refuse(Gateway gateway, HttpServletRequest req, HttpServletResponse resp, EditParams p, EditRefused e,
                        boolean json) throws IOException {
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("status", e.status());
            doc.put("error", e.getMessage());
            send(resp, e.status(), "application/json", Json.write(doc));
            return;
        }
        Requested sel;
        try {
            sel = select(gateway, p, 400);
        } catch (EditRefused ignored) {
            sel = new Requested(null, null);
        }
        page(gateway, req, resp, e.status(), sel, List.of(), e.getMessage());
    }

    private void page(Gateway gateway, HttpServletRequest req, HttpServletResponse resp, int status, Requested sel,
                      List<String> notices, String error) throws IOException {
        String managerUri = req.getContextPath() + req.getServletPath();
        ManagerPage.View view = new ManagerPage.View(managerUri, serverName(gateway, req), CrossSiteGuard.cspNonce(req),
                persist.enabled(), sel.balancer(), sel.worker(), notices, error, reload, shared());
        send(resp, status, "text/html", ManagerPage.render(gateway, history, view));
    }

    private static String serverName(Gateway gateway, HttpServletRequest req) {
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
