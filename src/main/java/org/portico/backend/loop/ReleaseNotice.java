package org.portico.backend.loop;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncClientExchangeHandler;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.apache.hc.core5.http.nio.RequestChannel;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * An exchange passed through unchanged, except that its first {@code releaseResources} also runs {@code released}
 * once (HttpCore may release an exchange more than once): how a pool learns that a connection has finished with its
 * exchange. Thread-safe as the exchange it wraps.
 */
final class ReleaseNotice implements AsyncClientExchangeHandler {

    private final AsyncClientExchangeHandler exchange;
    private final Runnable released;
    private final AtomicBoolean done = new AtomicBoolean();

    ReleaseNotice(AsyncClientExchangeHandler exchange, Runnable released) {
        this.exchange = exchange;
        this.released = released;
    }

    /** Whether the exchange was released. */
    boolean isReleased() {
        return done.get();
    }

    @Override
    public void releaseResources() {
        try {
            exchange.releaseResources();
        } finally {
            if (done.compareAndSet(false, true)) {
                released.run();
            }
        }
    }

    @Override
    public void produceRequest(RequestChannel channel, HttpContext context) throws HttpException, IOException {
        exchange.produceRequest(channel, context);
    }

    @Override
    public int available() {
        return exchange.available();
    }

    @Override
    public void produce(DataStreamChannel channel) throws IOException {
        exchange.produce(channel);
    }

    @Override
    public void consumeInformation(HttpResponse response, HttpContext context) throws HttpException, IOException {
        exchange.consumeInformation(response, context);
    }

    @Override
    public void consumeResponse(HttpResponse response, EntityDetails entityDetails, HttpContext context)
            throws HttpException, IOException {
        exchange.consumeResponse(response, entityDetails, context);
    }

    @Override
    public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
        exchange.updateCapacity(capacityChannel);
    }

    @Override
    public void consume(ByteBuffer src) throws IOException {
        exchange.consume(src);
    }

    @Override
    public void streamEnd(List<? extends Header> trailers) throws HttpException, IOException {
        exchange.streamEnd(trailers);
    }

    @Override
    public void failed(Exception cause) {
        exchange.failed(cause);
    }

    @Override
    public void cancel() {
        exchange.cancel();
    }
}
