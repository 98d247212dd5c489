package org.portico.proxy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.core5.http.nio.CapacityChannel;

/**
 * What a body pump reported to its exchange, the Content-Length a response body announced (-1: none)
 * and, as HttpClient's capacity channel, the credit it granted.
 */
final class RecordingOutcome implements BodyOutcome, CapacityChannel {

    final AtomicInteger delivered = new AtomicInteger();
    final List<ClientSideException> clientFailures = new CopyOnWriteArrayList<>();
    final AtomicLong announcedLength = new AtomicLong(-1);
    final AtomicLong credit = new AtomicLong();

    @Override
    public void update(int increment) {
        credit.addAndGet(increment);
    }

    @Override
    public void responseDelivered() {
        delivered.incrementAndGet();
    }

    @Override
    public void clientFailed(ClientSideException failure) {
        clientFailures.add(failure);
    }
}
