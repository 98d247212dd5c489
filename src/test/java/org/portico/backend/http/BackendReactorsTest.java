package org.portico.backend.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.portico.config.Descriptor;
import org.portico.config.DescriptorLoader;
import org.portico.testkit.Backend;
import org.portico.testkit.ChannelExchange;
import org.portico.testkit.Poll;

/** Workers on shared reactors: one thread for many workers, yet each worker's pool and limits its own. */
class BackendReactorsTest {

    private final BackendReactors reactors = new BackendReactors();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        reactors.close();
    }

    @Test
    void workersWithEqualSettingsShareOneReactorAndReachTheirOwnBackend() throws Exception {
        Backend a = backend("a");
        Backend b = backend("b");
        List<HttpChannel> clients = workers(a, b, "");

        assertEquals(1, reactors.size());
        assertEquals("a", get(clients.get(0), "/name").getBodyText());
        assertEquals("b", get(clients.get(1), "/name").getBodyText());
    }

    @Test
    void eachWorkersMaxHoldsOnASharedReactor() throws Exception {
        Backend a = backend("a");
        Backend b = backend("b");
        List<HttpChannel> clients = workers(a, b, " max='1'");

        List<CompletableFuture<SimpleHttpResponse>> answers = List.of(
                send(clients.get(0), "/hold/1"), send(clients.get(0), "/hold/2"), send(clients.get(1), "/hold/3"));
        // a's two requests were sent before b's: were a's pool not limited to one, a would hold both by now
        Poll.until(Duration.ofSeconds(5), () -> a.held() + b.held(), n -> n == 2);

        assertEquals(1, a.receivedUnder("/hold").size(), "a's pool has one connection, so its second request waits");
        assertEquals(1, b.held(), "b's pool is its own: a's waiting request does not block it");
        a.releaseHeld();
        Poll.until(Duration.ofSeconds(5), a::held, n -> n == 1);
        a.releaseHeld();
        b.releaseHeld();
        for (CompletableFuture<SimpleHttpResponse> answer : answers) {
            assertEquals(200, answer.get(5, TimeUnit.SECONDS).getCode());
        }
    }

    @Test
    void workersDifferingOnlyInPathKeepSeparatePools() throws Exception {
        Backend a = backend("a");
        List<HttpChannel> clients = clients(
                "<worker url='" + a.origin() + "/x' max='1'/><worker url='" + a.origin() + "/y' max='1'/>");

        assertEquals(2, reactors.size(), "one reactor routes by host and port, so the second worker gets its own");
        CompletableFuture<SimpleHttpResponse> first = send(clients.get(0), "/hold/x");
        CompletableFuture<SimpleHttpResponse> second = send(clients.get(1), "/hold/y");
        Poll.until(Duration.ofSeconds(5), a::held, n -> n == 2);
        a.releaseHeld();
        assertEquals(200, first.get(5, TimeUnit.SECONDS).getCode());
        assertEquals(200, second.get(5, TimeUnit.SECONDS).getCode());
    }

    @Test
    void aReactorStopsWithItsLastWorker() throws Exception {
        Backend a = backend("a");
        Backend b = backend("b");
        List<HttpChannel> clients = workers(a, b, "");

        clients.get(0).close();
        assertEquals(1, reactors.size());
        assertEquals("b", get(clients.get(1), "/name").getBodyText(), "the other worker goes on");
        clients.get(1).close();
        assertEquals(0, reactors.size());
    }

    private Backend backend(String name) throws Exception {
        Backend b = Backend.start(name);
        open.add(b);
        return b;
    }

    /** One worker for each backend, both with the given attributes. */
    private List<HttpChannel> workers(Backend a, Backend b, String attributes) throws Exception {
        return clients("<worker url='" + a.origin() + "'" + attributes + "/><worker url='" + b.origin() + "'" + attributes + "/>");
    }

    private List<HttpChannel> clients(String workers) throws Exception {
        String xml = "<portico xmlns='urn:portico:descriptor:1'>" + workers + "</portico>";
        Descriptor d = DescriptorLoader.load(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "test.xml", null);
        List<HttpChannel> clients = new ArrayList<>();
        for (var wc : d.workers()) {
            HttpChannel c = new HttpChannel(wc, d.settings(), reactors);
            clients.add(c);
            open.add(0, c);
        }
        return clients;
    }

    private static SimpleHttpResponse get(HttpChannel client, String path) throws Exception {
        return send(client, path).get(5, TimeUnit.SECONDS);
    }

    private static CompletableFuture<SimpleHttpResponse> send(HttpChannel client, String path) {
        return ChannelExchange.get(client, client.host(), path);
    }
}
