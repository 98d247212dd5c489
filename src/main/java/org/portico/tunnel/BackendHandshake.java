package org.portico.tunnel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.hc.core5.http.message.BasicHttpResponse;

/**
 * The opening of a tunnel on the backend side, without blocking a thread: connects to the member, sends
 * the upgrade request's head and reads the response head. What happened is one {@link Outcome}, handed
 * to the caller once, on a channel-group or timer thread.
 */
public final class BackendHandshake {

    /** A response head larger than this is not a backend's answer: 502. */
    static final int MAX_HEAD = 64 * 1024;

    /** How a handshake ended. */
    public sealed interface Outcome permits Switched, Answered, NotConnected, Failed {
    }

    /**
     * The backend answered 101.
     *
     * @param head its status line and headers
     * @param backend the connection, to be tunnelled; bytes that came after the head are its first read
     */
    public record Switched(BasicHttpResponse head, TunnelEnd backend) implements Outcome {
    }

    /**
     * The backend answered something else (it refused the upgrade): the answer is relayed as a response.
     *
     * @param body the body as it arrives, framed by the head; closing it closes the connection
     */
    public record Answered(BasicHttpResponse head, ResponseBodyStream body) implements Outcome {
    }

    /** No connection could be made: the member's fault, as for any request (failover, error state). */
    public record NotConnected(IOException cause) implements Outcome {
    }

    /** Connected, but no usable response head came in time (timeout, reset, garbage): 502 or 504. */
    public record Failed(IOException cause, boolean timedOut) implements Outcome {
    }

    private final Tunnels tunnels;
    private final InetSocketAddress address;
    private final ByteBuffer request;
    private final Duration connectTimeout;
    private final Duration timeout;
    private final int bufferSize;
    private final Consumer<Outcome> then;
    private final AtomicBoolean decided = new AtomicBoolean();
    private final ByteBuffer head = ByteBuffer.allocate(MAX_HEAD);
    private AsynchronousSocketChannel channel;

    /**
     * @param requestHead the request line and headers to send, ending with the empty line
     * @param timeout how long the response head may take (the worker's {@code timeout})
     * @param bufferSize the tunnel's read buffer per direction
     */
    public BackendHandshake(Tunnels tunnels, String host, int port, byte[] requestHead, Duration connectTimeout,
                            Duration timeout, int bufferSize, Consumer<Outcome> then) {
        this.tunnels = tunnels;
        this.address = new InetSocketAddress(host, port);
        this.request = ByteBuffer.wrap(requestHead);
        this.connectTimeout = connectTimeout;
        this.timeout = timeout;
        this.bufferSize = bufferSize;
        this.then = then;
    }

    public void start() {
        try {
            channel = tunnels.open();
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        } catch (IOException e) {
            decide(new NotConnected(e));
            return;
        }
        if (address.isUnresolved()) {
            decide(new NotConnected(new IOException("unknown host " + address.getHostString())));
            return;
        }
        AtomicBoolean connected = new AtomicBoolean();
        ScheduledFuture<?> deadline = tunnels.timer().schedule(() -> {
            if (connected.compareAndSet(false, true)) {
                decide(new NotConnected(new IOException("connect timed out after " + connectTimeout.toMillis() + " ms")));
            }
        }, connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
        channel.connect(address, null, new CompletionHandler<Void, Void>() {
            @Override
            public void completed(Void v, Void a) {
                deadline.cancel(false);
                if (connected.compareAndSet(false, true)) {
                    send();
                }
            }

            @Override
            public void failed(Throwable cause, Void a) {
                deadline.cancel(false);
                if (connected.compareAndSet(false, true)) {
                    decide(new NotConnected(io(cause)));
                }
            }
        });
    }

    private void send() {
        channel.write(request, timeout.toMillis(), TimeUnit.MILLISECONDS, null, new CompletionHandler<Integer, Void>() {
            @Override
            public void completed(Integer n, Void a) {
                if (request.hasRemaining()) {
                    send();
                } else {
                    readHead();
                }
            }

            @Override
            public void failed(Throwable cause, Void a) {
                fail(cause);
            }
        });
    }

    private void readHead() {
        if (!head.hasRemaining()) {
            decide(new Failed(new IOException("response head larger than " + MAX_HEAD + " bytes"), false));
            return;
        }
        channel.read(head, timeout.toMillis(), TimeUnit.MILLISECONDS, null, new CompletionHandler<Integer, Void>() {
            @Override
            public void completed(Integer n, Void a) {
                if (n < 0) {
                    decide(new Failed(new IOException("the backend closed the connection before a response head"), false));
                    return;
                }
                int end = ResponseHeads.endOfHead(head.array(), head.position());
                if (end < 0) {
                    readHead();
                    return;
                }
                headArrived(end);
            }

            @Override
            public void failed(Throwable cause, Void a) {
                fail(cause);
            }
        });
    }

    private void headArrived(int end) {
        BasicHttpResponse response;
        try {
            response = ResponseHeads.parse(new String(head.array(), 0, end, StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            decide(new Failed(e, false));
            return;
        }
        ByteBuffer rest = ByteBuffer.wrap(head.array(), end, head.position() - end).slice();
        if (response.getCode() == 101) {
            decide(new Switched(response, new ChannelEnd(channel, rest, bufferSize)));
        } else {
            decide(new Answered(response, new ResponseBodyStream(channel, rest, response, timeout)));
        }
    }

    private void fail(Throwable cause) {
        decide(new Failed(io(cause), cause instanceof java.nio.channels.InterruptedByTimeoutException));
    }

    private void decide(Outcome outcome) {
        if (!decided.compareAndSet(false, true)) {
            return;
        }
        if (!(outcome instanceof Switched) && !(outcome instanceof Answered) && channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing left to do
            }
        }
        then.accept(outcome);
    }

    private static IOException io(Throwable t) {
        return t instanceof IOException e ? e : new IOException(t.toString(), t);
    }
}
