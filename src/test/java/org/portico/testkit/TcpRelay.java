package org.portico.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP relay on a loopback port to one server, which a test can {@link #cut()} (every connection closed, new ones
 * refused) and {@link #restore()} on the same port: one client cut off from a server the others still reach.
 */
public final class TcpRelay implements AutoCloseable {

    private final InetSocketAddress target;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tcp-relay");
        t.setDaemon(true);
        return t;
    });
    private volatile ServerSocket server;

    private TcpRelay(InetSocketAddress target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.port = server.getLocalPort();
        threads.execute(this::accept);
    }

    public static TcpRelay to(String host, int port) throws IOException {
        return new TcpRelay(new InetSocketAddress(host, port));
    }

    public int port() {
        return port;
    }

    private void accept() {
        ServerSocket s = server;
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                Socket backend = new Socket();
                try {
                    backend.connect(target, 2000);
                } catch (IOException e) {
                    client.close();
                    continue;
                }
                open.add(client);
                open.add(backend);
                if (s.isClosed()) {
                    // cut() closed the server and took its list of the open sockets while this pair was being
                    // connected: it missed them, so they go here, or the cut client would keep its way through
                    close(client);
                    close(backend);
                    return;
                }
                threads.execute(() -> pump(client, backend));
                threads.execute(() -> pump(backend, client));
            } catch (IOException e) {
                return; // cut or closed
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buf = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed or was cut
        } finally {
            close(from);
            close(to);
        }
    }

    private void close(Socket s) {
        open.remove(s);
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** Closes every relayed connection and stops listening: the client's connects are refused. */
    public void cut() throws IOException {
        server.close();
        for (Socket s : Set.copyOf(open)) {
            close(s);
        }
    }

    /** Listens again on the same port. */
    public void restore() throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        server = s;
        threads.execute(this::accept);
    }

    @Override
    public void close() throws IOException {
        cut();
        threads.shutdownNow();
    }
}
