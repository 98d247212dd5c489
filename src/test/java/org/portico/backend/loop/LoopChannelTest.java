package org.portico.backend.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHost;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.portico.backend.BackendChannel;
import org.portico.config.Descriptor;
import org.portico.config.DescriptorLoader;
import org.portico.testkit.Backend;
import org.portico.testkit.ChannelExchange;
import org.portico.testkit.Poll;

/**
 * Backend connections on a Jetty server's own selector, against real backends on loopback: keep-alive reuse, the pool's
 * {@code max} and {@code acquire}, failures with HttpClient's exception types (which the proxy classifies), timeouts,
 * and many exchanges at once over few connections (the one-runner-at-a-time rule of {@link LoopConnection}).
 */
class LoopChannelTest {

    private final Server server = new Server();
    private final List<AutoCloseable> open = new ArrayList<>();
    private LoopProtocol protocol;

    @BeforeEach
    void startServer() throws Exception {
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        server.setHandler(context);
        server.start();
        protocol = new LoopProtocol(context.getServletContext());
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        server.stop();
    }

    @Test
    void successiveExchangesShareOneKeptAliveConnection() throws Exception {
        Backend a = backend("a");
        BackendChannel channel = channel(a.origin(), "");
        for (int i = 0; i < 20; i++) {
            SimpleHttpResponse r = send(channel, a, "/name").get(10, TimeUnit.SECONDS);
            assertEquals(200, r.getCode());
            assertEquals("a", r.getBodyText());
        }
        // an answer completes (streamEnd) just before its connection goes back to the pool, as in HttpClient, so the
        // next exchange may now and then find none idle and open a second one; never one per exchange
        assertTrue(a.connectionsAccepted() <= 2, "20 exchanges one after the other took " + a.connectionsAccepted()
                + " connections");
    }

    @Test
    void aRequestBodyLargerThanTheSocketTakesAtOnceArrivesWhole() throws Exception {
        Backend a = backend("a");
        BackendChannel channel = channel(a.origin(), "");
        byte[] body = new byte[3 * 1024 * 1024];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        SimpleHttpResponse r = ChannelExchange.run(channel, SimpleRequestBuilder.post().setHttpHost(host(a))
                .setPath("/echo-body").setBody(body, ContentType.APPLICATION_OCTET_STREAM).build()).answer.get(30, TimeUnit.SECONDS);
        assertEquals(200, r.getCode());
        assertEquals(body.length, a.received().get(0).body().length, "the backend got every byte");
    }

    @Test
    void atMaxAnExchangeWaitsForAReleasedConnection() throws Exception {
        Backend a = backend("a");
        BackendChannel channel = channel(a.origin(), " max='1' acquire='30s'");
        CompletableFuture<SimpleHttpResponse> first = send(channel, a, "/hold");
        Poll.until(Duration.ofSeconds(10), a::held, n -> n == 1);
        CompletableFuture<SimpleHttpResponse> second = send(channel, a, "/name");
        a.releaseHeld();
        assertEquals(200, first.get(10, TimeUnit.SECONDS).getCode());
        assertEquals("a", second.get(10, TimeUnit.SECONDS).getBodyText());
        assertEquals(1, a.connectionsAccepted(), "the waiting exchange took the connection the first one released");
    }

    @Test
    void atMaxAnExchangeStillWaitingAtItsAcquireDeadlineFailsWithATimeout() throws Exception {
        Backend a = backend("a");
        BackendChannel channel = channel(a.origin(), " max='1' acquire='300ms'");
        CompletableFuture<SimpleHttpResponse> first = send(channel, a, "/hold");
        Poll.until(Duration.ofSeconds(10), a::held, n -> n == 1);
        long start = System.nanoTime();
        Throwable failure = failureOf(send(channel, a, "/name"));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertInstanceOf(TimeoutException.class, failure, failure::toString);
        assertTrue(failure.getMessage().contains("acquire=300 ms"), failure::getMessage);
        assertTrue(tookMillis >= 290, "failed before its deadline: " + tookMillis + " ms");
        a.releaseHeld();
        assertEquals(200, first.get(10, TimeUnit.SECONDS).getCode(), "the held exchange is not disturbed");
    }

    @Test
    void cancellingAWaitingExchangeTakesItOutOfTheQueue() throws Exception {
        Backend a = backend("a");
        BackendChannel channel = channel(a.origin(), " max='1' acquire='30s'");
        CompletableFuture<SimpleHttpResponse> first = send(channel, a, "/hold");
        Poll.until(Duration.ofSeconds(10), a::held, n -> n == 1);
        ChannelExchange second = ChannelExchange.run(channel, SimpleRequestBuilder.get().setHttpHost(host(a)).setPath("/name").build());
        assertTrue(second.cancellable.cancel());
        assertTrue(second.answer.isDone(), "the cancelled exchange was told at once");
        a.releaseHeld();
        assertEquals(200, first.get(10, TimeUnit.SECONDS).getCode());
        assertEquals("a", send(channel, a, "/name").get(10, TimeUnit.SECONDS).getBodyText(), "the connection went back");
        assertEquals(1, a.connectionsAccepted());
    }

    @Test
    void aRefusedConnectFailsAsHttpClientReportsIt() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        BackendChannel channel = channel("http://127.0.0.1:" + port, "");
        Throwable failure = failureOf(send(channel, new HttpHost("http", "127.0.0.1", port), "/"));
        assertInstanceOf(ConnectException.class, failure, failure::toString);
        assertTrue(failure.getMessage().startsWith("Connect to http://127.0.0.1:" + port), failure::getMessage);
    }

    @Test
    void aBackendNamedByHostNameIsResolvedAndReached() throws Exception {
        Backend a = backend("a");
        BackendChannel channel = channel("http://localhost:" + a.port(), "");
        SimpleHttpResponse r = send(channel, new HttpHost("http", "localhost", a.port()), "/name").get(30, TimeUnit.SECONDS);
        assertEquals("a", r.getBodyText());
    }

    @Test
    void aHostNameThatDoesNotResolveFailsWithAnUnknownHost() throws Exception {
        BackendChannel channel = channel("http://portico-no-such-host.invalid:80", "");
        Throwable failure = failureOf(send(channel, new HttpHost("http", "portico-no-such-host.invalid", 80), "/"));
        assertInstanceOf(UnknownHostException.class, failure, failure::toString);
    }

    @Test
    void aBackendSilentPastTheTimeoutFailsTheExchangeWithASocketTimeout() throws Exception {
        Backend a = backend("a");
        BackendChannel channel = channel(a.origin(), " timeout='1s'");
        long start = System.nanoTime();
        Throwable failure = failureOf(send(channel, a, "/hold"));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertInstanceOf(SocketTimeoutException.class, failure, failure::toString);
        assertTrue(tookMillis >= 990, "timed out early: " + tookMillis + " ms");
    }

    @Test
    void closeIdleMakesTheNextExchangeConnectAfresh() throws Exception {
        Backend a = backend("a");
        BackendChannel channel = channel(a.origin(), "");
        assertEquals("a", send(channel, a, "/name").get(10, TimeUnit.SECONDS).getBodyText());
        // the answer completes just before its connection goes back to the pool: close it once it is there
        Poll.until(Duration.ofSeconds(10), ((LoopChannel) channel)::idleConnections, n -> n == 1);
        channel.closeIdle();
        assertEquals("a", send(channel, a, "/name").get(10, TimeUnit.SECONDS).getBodyText());
        assertEquals(2, a.connectionsAccepted());
    }

    @Test
    void manyExchangesAtOnceOverFewConnectionsEachGetTheirOwnAnswer() throws Exception {
        Backend a = backend("a");
        BackendChannel channel = channel(a.origin(), " max='4' acquire='60s'");
        List<CompletableFuture<SimpleHttpResponse>> answers = new ArrayList<>(java.util.Collections.nCopies(800, null));
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            Thread sender = new Thread(() -> {
                for (int i = 0; i < 100; i++) {
                    CompletableFuture<SimpleHttpResponse> answer = ChannelExchange.run(channel, SimpleRequestBuilder.post()
                            .setHttpHost(host(a)).setPath("/echo-body").setBody(thread + "-" + i, ContentType.TEXT_PLAIN).build()).answer;
                    synchronized (answers) {
                        answers.set(thread * 100 + i, answer);
                    }
                }
            });
            senders.add(sender);
            sender.start();
        }
        for (Thread s : senders) {
            s.join();
        }
        for (int t = 0; t < 8; t++) {
            for (int i = 0; i < 100; i++) {
                // the senders were joined: their writes to the list are visible here
                SimpleHttpResponse r = answers.get(t * 100 + i).get(60, TimeUnit.SECONDS);
                assertEquals(t + "-" + i, r.getBodyText(), "an answer went to another exchange");
            }
        }
        assertEquals(800, a.received().size());
        assertTrue(a.connectionsAccepted() <= 4, "max=4 held: " + a.connectionsAccepted() + " connections");
    }

    private Backend backend(String name) throws Exception {
        Backend b = Backend.start(name);
        open.add(b);
        return b;
    }

    private BackendChannel channel(String origin, String attributes) throws Exception {
        String xml = "<portico xmlns='urn:portico:descriptor:1'><worker url='" + origin + "'" + attributes + "/></portico>";
        Descriptor d = DescriptorLoader.load(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "test.xml", null);
        BackendChannel c = protocol.open(d.workers().get(0), d.settings());
        open.add(0, c);
        return c;
    }

    private static HttpHost host(Backend b) {
        return new HttpHost("http", "127.0.0.1", b.port());
    }

    private static CompletableFuture<SimpleHttpResponse> send(BackendChannel channel, Backend b, String path) {
        return send(channel, host(b), path);
    }

    private static CompletableFuture<SimpleHttpResponse> send(BackendChannel channel, HttpHost host, String path) {
        return ChannelExchange.get(channel, host, path);
    }

    private static Throwable failureOf(CompletableFuture<?> answer) throws Exception {
        try {
            answer.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("the exchange did not fail");
    }
}
