package org.portico.backend.ajp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.impl.BasicEntityDetails;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.AsyncClientExchangeHandler;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.apache.hc.core5.http.nio.RequestChannel;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * An exchange handler as the proxy's would be, recording what the channel hands it: the request it produces
 * (with a body from an array, offered in pieces), the response head, body and end, or the failure. It grants
 * response capacity only when a test says so ({@link #grant}).
 */
final class RecordingExchange implements AsyncClientExchangeHandler {

    private final String method;
    private final byte[] body;
    private final boolean withLength;
    private int sent;
    final CompletableFuture<HttpResponse> head = new CompletableFuture<>();
    final CompletableFuture<byte[]> ended = new CompletableFuture<>();
    final CompletableFuture<Exception> failure = new CompletableFuture<>();
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private volatile CapacityChannel capacity;
    volatile boolean released;

    RecordingExchange(String method, byte[] body, boolean withLength) {
        this.method = method;
        this.body = body;
        this.withLength = withLength;
    }

    @Override
    public void produceRequest(RequestChannel channel, HttpContext context) throws HttpException, IOException {
        BasicHttpRequest r = new BasicHttpRequest(method, "/x");
        r.addHeader("Host", "front");
        channel.sendRequest(r, body == null ? null : new BasicEntityDetails(withLength ? body.length : -1, null), context);
    }

    @Override
    public int available() {
        return body == null ? 0 : body.length - sent + 1;
    }

    @Override
    public void produce(DataStreamChannel channel) throws IOException {
        if (sent == body.length) {
            channel.endStream();
            return;
        }
        int n = Math.min(3000, body.length - sent); // pieces that do not match the packets
        sent += channel.write(ByteBuffer.wrap(body, sent, n));
        if (sent == body.length) {
            channel.endStream();
        }
    }

    @Override
    public void consumeInformation(HttpResponse response, HttpContext context) {
    }

    @Override
    public void consumeResponse(HttpResponse response, EntityDetails entityDetails, HttpContext context) {
        head.complete(response);
        if (entityDetails == null) {
            ended.complete(new byte[0]);
        }
    }

    @Override
    public void updateCapacity(CapacityChannel capacityChannel) {
        capacity = capacityChannel;
    }

    void grant(int n) throws IOException {
        capacity.update(n);
    }

    @Override
    public void consume(ByteBuffer src) {
        synchronized (received) {
            while (src.hasRemaining()) {
                received.write(src.get());
            }
        }
    }

    int receivedCount() {
        synchronized (received) {
            return received.size();
        }
    }

    @Override
    public void streamEnd(List<? extends Header> trailers) {
        synchronized (received) {
            ended.complete(received.toByteArray());
        }
    }

    @Override
    public void failed(Exception cause) {
        failure.complete(cause);
    }

    final CompletableFuture<Boolean> cancelled = new CompletableFuture<>();

    @Override
    public void cancel() {
        cancelled.complete(true);
    }

    @Override
    public void releaseResources() {
        released = true;
    }
}
