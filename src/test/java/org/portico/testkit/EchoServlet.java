package org.portico.testkit;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.HexFormat;

/**
 * The servlet behind {@link AjpTomcat}. {@code /echo...}: what the request looked like to the servlet, one
 * {@code name: value} line each (method, uri, query, every header as {@code h.name}, remote address and port,
 * secure, scheme, server name and port, the TLS attributes, remote user); {@code /down?bytes=n[&chunked]}:
 * n bytes of {@link PatternBytes}; {@code /up}: the body's SHA-256 and length; {@code /session}: a session,
 * so that Tomcat's jvmRoute lands in the JSESSIONID cookie, and the route in the body.
 */
public final class EchoServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private final String route;

    public EchoServlet(String route) {
        this.route = route;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getRequestURI();
        if (path.endsWith("/down")) {
            down(req, resp);
        } else if (path.endsWith("/up")) {
            up(req, resp);
        } else if (path.endsWith("/session")) {
            req.getSession(true);
            resp.setContentType("text/plain");
            resp.getWriter().print("route: " + route + "\n");
        } else if (path.endsWith("/status")) {
            resp.sendError(Integer.parseInt(req.getParameter("code")));
        } else {
            echo(req, resp);
        }
    }

    private void echo(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain;charset=UTF-8");
        resp.setHeader("X-Echo", "yes");
        PrintWriter w = resp.getWriter();
        w.print("method: " + req.getMethod() + "\n");
        w.print("uri: " + req.getRequestURI() + "\n");
        w.print("query: " + req.getQueryString() + "\n");
        w.print("protocol: " + req.getProtocol() + "\n");
        for (String name : Collections.list(req.getHeaderNames())) {
            for (String value : Collections.list(req.getHeaders(name))) {
                w.print("h." + name.toLowerCase() + ": " + value + "\n");
            }
        }
        w.print("remote-addr: " + req.getRemoteAddr() + "\n");
        w.print("remote-port: " + req.getRemotePort() + "\n");
        w.print("secure: " + req.isSecure() + "\n");
        w.print("scheme: " + req.getScheme() + "\n");
        w.print("server-name: " + req.getServerName() + "\n");
        w.print("server-port: " + req.getServerPort() + "\n");
        w.print("local-addr: " + req.getLocalAddr() + "\n");
        w.print("cipher: " + req.getAttribute("jakarta.servlet.request.cipher_suite") + "\n");
        w.print("key-size: " + req.getAttribute("jakarta.servlet.request.key_size") + "\n");
        w.print("session-id: " + req.getAttribute("jakarta.servlet.request.ssl_session_id") + "\n");
        w.print("remote-user: " + req.getRemoteUser() + "\n");
        long read = 0;
        try (InputStream in = req.getInputStream()) {
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                read += n;
            }
        }
        w.print("body-length: " + read + "\n");
    }

    private static void down(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        long n = Long.parseLong(req.getParameter("bytes"));
        resp.setContentType("application/octet-stream");
        if (req.getParameter("chunked") == null) {
            resp.setContentLengthLong(n);
        }
        byte[] buf = new byte[64 * 1024];
        try (PatternBytes in = new PatternBytes(n); OutputStream out = resp.getOutputStream()) {
            int r;
            while ((r = in.read(buf)) > 0) {
                out.write(buf, 0, r);
            }
        }
    }

    private static void up(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        MessageDigest md = PatternBytes.sha256();
        long total = 0;
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = req.getInputStream()) {
            int r;
            while ((r = in.read(buf)) > 0) {
                md.update(buf, 0, r);
                total += r;
            }
        }
        resp.setContentType("text/plain");
        resp.getWriter().print(HexFormat.of().formatHex(md.digest()) + " " + total + "\n");
    }
}
