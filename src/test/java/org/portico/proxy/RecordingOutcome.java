package org.portico.proxy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** What a body pump reported to its exchange, and on which threads. */
final class RecordingOutcome implements BodyOutcome {

    final AtomicInteger delivered = new AtomicInteger();
    final List<ClientSideException> clientFailures = new CopyOnWriteArrayList<>();

    @Override
    public void responseDelivered() {
        delivered.incrementAndGet();
    }

    @Override
    public void clientFailed(ClientSideException failure) {
        clientFailures.add(failure);
    }
}
