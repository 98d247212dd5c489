package org.portico.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.logging.JettyLogger;
import org.eclipse.jetty.security.HashLoginService;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Jetty;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.portico.proxy.Version;
import org.slf4j.LoggerFactory;

/**
 * Embedded Jetty 12 (ee10) set up for proxying: a plain and/or a TLS connector, the WAR, a login service for
 * the manager.
 */
final class EmbeddedJetty {

    /** The largest response head Jetty writes: room for the 10,000 fields a backend may send. */
    static final int MAX_RESPONSE_HEAD = 1024 * 1024;
    /**
     * The largest request head Jetty reads: 64 KiB, where Jetty's default is 8 KiB (the head of a request with a
     * Kerberos token or large cookies is often larger). Portico applies httpd's limits on lines and their count
     * itself (RequestHeadLimits); httpd bounds no head as a whole and passes up to 100 lines of 8 KiB, but Jetty
     * 12.0 grows a request's field list four entries at a time, so a 1 MiB head of 200,000 tiny fields cost
     * 12.9 s of CPU and ~700 MB of garbage before Portico could count them. At 64 KiB the worst head costs
     * milliseconds. Jetty's read buffer stays 8 KiB: only a head this large takes the memory.
     */
    static final int MAX_REQUEST_HEAD = 64 * 1024;

    private final Server server;
    private final List<ServerConnector> connectors = new ArrayList<>();
    private final String contextPath;
    private final Path realm;
    /** Null when switched off. */
    private final HeadReadDeadline headDeadline;

    /**
     * @param port          the plain HTTP port; negative for none
     * @param httpsPort     the TLS port, with {@code keys}; ignored when keys is null
     * @param headerTimeout how long a request head may take to arrive; zero switches the limit off
     */
    EmbeddedJetty(String host, int port, int httpsPort, ServerKeys keys, String contextPath, Path realm,
                  Duration headerTimeout) {
        int max = Integer.getInteger("portico.max-threads", maxThreads());
        QueuedThreadPool threads = new QueuedThreadPool(max, Math.min(8, max));
        threads.setName("portico");
        this.server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        // the backend's Server header is passed on; ours would duplicate it
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // %2F, %25 and friends are passed to the backend untouched, so Jetty must not refuse them
        http.setUriCompliance(UriCompliance.LEGACY);
        // Jetty's per-connection header cache matches values case-insensitively by default and then
        // hands back the earlier request's spelling: "Cookie: S=abc.N1" would arrive as "S=abc.n1" after
        // it on a kept-alive connection, changing the session and its sticky route
        http.setHeaderCacheCaseSensitive(true);
        // httpd passes a backend's response head whatever its size; Jetty refused one over 8 KiB (~600
        // short fields) with a 500. Its buffer still starts at 8 KiB and only grows for a larger head.
        http.setMaxResponseHeaderSize(MAX_RESPONSE_HEAD);
        http.setRequestHeaderSize(MAX_REQUEST_HEAD);
        this.headDeadline = headerTimeout.isZero() ? null : new HeadReadDeadline(headerTimeout);
        if (port >= 0) {
            listen(new ServerConnector(server, new HttpConnectionFactory(http)), host, port);
        }
        if (keys != null) {
            listen(TlsConnector.create(server, http, keys), host, httpsPort);
        }
        this.contextPath = contextPath;
        this.realm = realm;
    }

    private void listen(ServerConnector connector, String host, int port) {
        connector.setHost(host);
        connector.setPort(port);
        connector.setAcceptQueueSize(1024);
        if (headDeadline != null) {
            connector.addBean(headDeadline);
        }
        server.addConnector(connector);
        connectors.add(connector);
    }

    /**
     * The proxy servlet never blocks a thread while it waits for a backend, so a few threads per core
     * serve any number of connections. Jetty's default of 200 let the pool grow to ~100 threads under
     * 64 connections on one core, each woken in turn: 60 % more context switches per request. On 2 cores 8 threads
     * made 0.23 switches per request against 0.41 with 16, and 1-8 % less CPU.
     */
    static int maxThreads() {
        return Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
    }

    void start(Path war) throws Exception {
        start(war, List.of());
    }

    /** Starts with {@code libs} (--lib) on the web app's class path after its own WEB-INF/lib. */
    void start(Path war, List<Path> libs) throws Exception {
        server.addBean(new HashLoginService("portico", ResourceFactory.of(server).newResource(realm)));
        // No session manager: nothing in Portico uses HttpSession (the manager authenticates with BASIC), and
        // one would look for a session cookie in every proxied request.
        WebAppContext webapp = new WebAppContext(contextPath.isEmpty() ? "/" : contextPath, null, null, null, null,
                ServletContextHandler.SECURITY);
        // httpd's "ProxyPass / ..." passes /WEB-INF/ and /META-INF/ on like any other path; the WAR has no static
        // content for the container to guard there (its one servlet at "/" proxies), so those paths are not
        // refused with a 404 of Jetty's. Their check also built a set of the protected names on every request.
        webapp.setProtectedTargets(new String[0]);
        webapp.setWar(war.toString());
        webapp.setThrowUnavailableOnStartupException(true);
        if (!libs.isEmpty()) {
            List<String> paths = new ArrayList<>();
            libs.forEach(p -> paths.add(p.toAbsolutePath().toString()));
            webapp.setExtraClasspath(String.join(",", paths));
        }
        // a refused descriptor is one line from PorticoLifecycle and one from Main; Jetty's own report of the
        // failed start keeps its line but not the 40-line stack trace under it
        if (LoggerFactory.getLogger(WebAppContext.class) instanceof JettyLogger jetty) {
            jetty.setHideStacks(true);
        }
        // one SLF4J for the server and the WAR, so the WAR's logs reach Jetty's logging
        webapp.getProtectedClassMatcher().add("org.slf4j.");
        webapp.getServletHandler().setDecodeAmbiguousURIs(true);
        Handler front = new ServerWideOptions(new Http2Host(new ExactContentType(webapp)));
        server.setHandler(headDeadline == null ? front : headDeadline.watch(front));
        server.setStopAtShutdown(false);
        server.start();
    }

    /** The web app's URL on each listener, the plain one first. */
    List<String> urls() {
        List<String> urls = new ArrayList<>();
        for (NetworkConnector c : connectors) {
            String scheme = c.getDefaultConnectionFactory() instanceof HttpConnectionFactory ? "http" : "https";
            String host = c.getHost() == null ? "127.0.0.1" : c.getHost();
            urls.add(scheme + "://" + host + ":" + c.getLocalPort() + contextPath + "/");
        }
        return urls;
    }

    void join() throws InterruptedException {
        server.join();
    }

    void stop() throws Exception {
        server.stop();
    }

    static String version() {
        return Version.NUMBER + " (Jetty " + Jetty.VERSION + ")";
    }
}
