package org.portico.testkit;

import java.util.concurrent.CompletableFuture;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.async.methods.SimpleResponseConsumer;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.nio.AsyncClientExchangeHandler;
import org.apache.hc.core5.http.nio.support.BasicClientExchangeHandler;
import org.portico.backend.BackendChannel;

/** One exchange run straight through a backend channel, its answer as a future: how channel tests talk to backends. */
public final class ChannelExchange {

    /** The answer; failed with the channel's exception, cancelled when the channel cancelled the exchange. */
    public final CompletableFuture<SimpleHttpResponse> answer = new CompletableFuture<>();
    /** What {@link BackendChannel#execute} returned. */
    public final Cancellable cancellable;

    private ChannelExchange(BackendChannel channel, SimpleHttpRequest request) {
        this.cancellable = channel.execute(handler(request, answer));
    }

    /** The exchange of {@code request}, completing {@code answer}: for tests that hand it to a connection themselves. */
    public static AsyncClientExchangeHandler handler(SimpleHttpRequest request, CompletableFuture<SimpleHttpResponse> answer) {
        return new BasicClientExchangeHandler<>(SimpleRequestProducer.create(request), SimpleResponseConsumer.create(),
                new FutureCallback<>() {
                    @Override
                    public void completed(SimpleHttpResponse result) {
                        answer.complete(result);
                    }

                    @Override
                    public void failed(Exception ex) {
                        answer.completeExceptionally(ex);
                    }

                    @Override
                    public void cancelled() {
                        answer.cancel(false);
                    }
                });
    }

    /** Runs {@code request} through {@code channel}. */
    public static ChannelExchange run(BackendChannel channel, SimpleHttpRequest request) {
        return new ChannelExchange(channel, request);
    }

    /** Runs {@code GET path} to {@code host} through {@code channel}. */
    public static CompletableFuture<SimpleHttpResponse> get(BackendChannel channel, HttpHost host, String path) {
        return run(channel, SimpleRequestBuilder.get().setHttpHost(host).setPath(path).build()).answer;
    }
}
