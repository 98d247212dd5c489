package org.portico.proxy;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.portico.config.ProxySettings;
import org.portico.routing.Mapping;
import org.portico.tunnel.ClientSwitch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reverse proxy: maps each request of the web app to a backend by the descriptor's pass rules
 * and streams it there and back, asynchronously in both directions. Not meant to be extended: the
 * descriptor, not a subclass, says how requests are proxied.
 */
public final class ProxyServlet extends HttpServlet {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyServlet.class);

    /** The servlet-context attribute holding the running proxy's {@link LiveGateway}. */
    public static final String GATEWAY = LiveGateway.class.getName();

    private transient LiveGateway gateways;
    private transient ClientSwitch clientSwitch;

    @Override
    public void init() throws ServletException {
        gateways = (LiveGateway) getServletContext().getAttribute(GATEWAY);
        if (gateways == null) {
            throw new ServletException("Portico did not start: no gateway in the servlet context (see the log above)");
        }
        clientSwitch = ClientSwitch.of(getServletContext());
    }

    @Override
    protected void service(HttpServletRequest c2p, HttpServletResponse p2c) throws ServletException, IOException {
        if (c2p.getDispatcherType() == DispatcherType.ASYNC) {
            Object cause = c2p.getAttribute(ClientAnswer.ABORTED);
            if (cause instanceof Throwable) {
                // committed response, failed backend: only an exception makes the container drop the connection
                throw new IOException("backend failed after the response was committed", (Throwable) cause);
            }
            return;
        }
        // one generation for the whole request, however long it runs and whatever reloads meanwhile
        GatewayHold hold = gateways.enter();
        try {
            serve(hold, c2p, p2c);
        } finally {
            hold.leaveUnlessHandedOver();
        }
    }

    private void serve(GatewayHold hold, HttpServletRequest c2p, HttpServletResponse p2c)
            throws ServletException, IOException {
        Gateway gateway = hold.gateway();
        ProxySettings settings = gateway.descriptor().settings();
        // httpd reads the head before it looks at the method
        RequestHeadLimits.Breach over = RequestHeadLimits.check(c2p, settings.headLimits());
        if (over != null) {
            LOG.info("{} {} refused: {} -> {}", c2p.getMethod(), abbreviated(c2p.getRequestURI()), over.reason(),
                    over.status());
            ErrorPage.sendHeadRefusal(c2p, p2c, over.status(), over.note());
            return;
        }
        if ("CONNECT".equals(c2p.getMethod())) {
            // a tunnel is a forward proxy's business: forwarded, it would reach a backend as "CONNECT /path";
            // httpd without mod_proxy_connect answers 400 (the fidelity kit's map.connect)
            LOG.debug("CONNECT {} refused: not a forward proxy -> 400", c2p.getRequestURI());
            ErrorPage.send(c2p, p2c, 400, null);
            return;
        }
        String rawPath = encodedSlashes(rawPath(c2p), settings.encodedSlashes());
        if (rawPath == null) {
            ErrorPage.send(c2p, p2c, 400, null);
            return;
        }
        if (rawPath.isEmpty() || containsEncodedNul(rawPath)) {
            // httpd's ap_unescape_url refuses a decoded NUL with 404, as it does %2F (§12.15)
            ErrorPage.send(c2p, p2c, 404, null);
            return;
        }
        MaxForwards maxForwards = MaxForwards.check(c2p, p2c, settings);
        if (maxForwards.answered()) {
            return;
        }
        Optional<Mapping> mapping = gateway.mapper().map(rawPath);
        if (mapping.isEmpty()) {
            ErrorPage.send(c2p, p2c, 404, null);
            return;
        }
        if (mapping.get().excluded()) {
            serveLocally(c2p, p2c);
            return;
        }
        new ProxyRequest(hold, c2p, p2c, mapping.get(), settings, maxForwards.toSend(), clientSwitch).start();
    }

    /** A URI of up to 200 characters as it is, a longer one cut there: a refused 1 MiB URI is not logged whole. */
    private static String abbreviated(String uri) {
        return uri.length() <= 200 ? uri : uri.substring(0, 200) + "... (" + uri.length() + " characters)";
    }

    /** The request path inside the web app, raw as the client sent it; null when it is not a path. */
    private static String rawPath(HttpServletRequest c2p) {
        String uri = c2p.getRequestURI();
        String context = c2p.getContextPath();
        if (uri == null || !uri.startsWith(context)) {
            return null;
        }
        String path = uri.substring(context.length());
        if (path.isEmpty()) {
            return "/";
        }
        return path.charAt(0) == '/' ? path : null;
    }

    /**
     * AllowEncodedSlashes applied to the raw path: "" when a {@code %2F} makes it 404 (httpd's default, so that
     * {@code /app/..%2Fsecret} or {@code /private%2F} past a {@code !} never reach a backend), decoded to
     * {@code /} when on, kept when nodecode. Null stays null.
     */
    static String encodedSlashes(String rawPath, ProxySettings.EncodedSlashes mode) {
        if (rawPath == null || mode == ProxySettings.EncodedSlashes.NODECODE || !containsEncodedSlash(rawPath)) {
            return rawPath;
        }
        return mode == ProxySettings.EncodedSlashes.OFF ? "" : rawPath.replace("%2F", "/").replace("%2f", "/");
    }

    static boolean containsEncodedNul(String path) {
        return path.contains("%00");
    }

    private static boolean containsEncodedSlash(String path) {
        for (int i = path.indexOf('%'); i >= 0 && i + 2 < path.length(); i = path.indexOf('%', i + 1)) {
            if (path.charAt(i + 1) == '2' && (path.charAt(i + 2) == 'F' || path.charAt(i + 2) == 'f')) {
                return true;
            }
        }
        return false;
    }

    /** A {@code !} exclusion: httpd serves such paths itself, so the container's default servlet does. */
    private void serveLocally(HttpServletRequest c2p, HttpServletResponse p2c) throws ServletException, IOException {
        RequestDispatcher local = getServletContext().getNamedDispatcher("default");
        if (local == null) {
            ErrorPage.send(c2p, p2c, 404, null);
            return;
        }
        local.forward(c2p, p2c);
    }

    @Override
    public void destroy() {
        gateways = null;
    }
}
