package org.portico.backend;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.Message;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.nio.entity.StringAsyncEntityConsumer;
import org.apache.hc.core5.http.nio.support.BasicClientExchangeHandler;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.apache.hc.core5.http.nio.support.BasicResponseConsumer;
import org.apache.hc.core5.util.Timeout;
import org.portico.config.BackendScheme;
import org.portico.config.ProxySettings;
import org.portico.config.WorkerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a few HTTP/1.1 exchanges at start-up through a channel made like a real worker's (its parameters, so
 * the same shared reactor) to an answerer on a loopback port of its own. On a cold JVM the first request
 * otherwise pays for loading and interpreting the client's classes: about half a second, so a worker's
 * {@code timeout=1} answered the first time after 1.6 s where httpd answers after 1.0 s. Best effort: a
 * failure is logged at DEBUG and start-up goes on. Nothing reaches a backend of the descriptor.
 */
public final class WarmUp {

    private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);
    static final int EXCHANGES = 20;
    private static final byte[] ANSWER = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII);

    private WarmUp() {
    }

    /**
     * Warms the channel code of the first {@code http://} worker among {@code workers}; does nothing without
     * one (the other schemes have channels that a loopback HTTP/1.1 answerer cannot serve).
     *
     * @return how many exchanges completed: {@value #EXCHANGES}, or fewer when the warm-up failed or was skipped
     */
    public static int run(BackendProtocols protocols, Iterable<WorkerConfig> workers, ProxySettings settings) {
        WorkerConfig like = null;
        for (WorkerConfig w : workers) {
            if (w.backendScheme() == BackendScheme.HTTP) {
                like = w;
                break;
            }
        }
        if (like == null) {
            return 0;
        }
        int completed = 0;
        long start = System.nanoTime();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread answerer = new Thread(() -> answer(server), "portico-warm-up");
            answerer.setDaemon(true);
            answerer.start();
            WorkerConfig loopback = WorkerConfig.of("http://127.0.0.1:" + server.getLocalPort(), like.params(), like.where());
            try (BackendChannel channel = protocols.open(loopback, settings)) {
                HttpHost host = new HttpHost("http", "127.0.0.1", server.getLocalPort());
                for (int i = 0; i < EXCHANGES; i++) {
                    CompletableFuture<String> done = new CompletableFuture<>();
                    channel.execute(new BasicClientExchangeHandler<>(new BasicRequestProducer(Method.GET, host, "/"),
                            new BasicResponseConsumer<>(new StringAsyncEntityConsumer()), callback(done)));
                    done.get(Timeout.ofSeconds(5).toMilliseconds(), TimeUnit.MILLISECONDS);
                    completed++;
                }
            }
            LOG.debug("backend channel warmed up by {} loopback exchanges in {} ms", EXCHANGES,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.debug("backend channel warm-up stopped after {} exchanges: {}", completed, e.toString());
        }
        return completed;
    }

    private static FutureCallback<Message<HttpResponse, String>> callback(CompletableFuture<String> done) {
        return new FutureCallback<>() {
            @Override
            public void completed(Message<HttpResponse, String> result) {
                done.complete(result.getBody());
            }

            @Override
            public void failed(Exception ex) {
                done.completeExceptionally(ex);
            }

            @Override
            public void cancelled() {
                done.cancel(false);
            }
        };
    }

    /** Answers every request head on every connection with a two-byte 200 until the socket closes. */
    private static void answer(ServerSocket server) {
        try {
            while (true) {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s), "portico-warm-up-connection");
                t.setDaemon(true);
                t.start();
            }
        } catch (IOException closed) {
            // run() is done with it
        }
    }

    private static void serve(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            int matched = 0;
            for (int b = in.read(); b >= 0; b = in.read()) {
                matched = (b == '\n' && (matched == 1 || matched == 3)) || (b == '\r' && (matched == 0 || matched == 2))
                        ? matched + 1 : (b == '\r' ? 1 : 0);
                if (matched == 4) {
                    out.write(ANSWER);
                    out.flush();
                    matched = 0;
                }
            }
        } catch (IOException e) {
            // the channel closed the connection
        }
    }
}
