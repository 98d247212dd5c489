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
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
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
    private final SSLContext tls;
    private final Duration connectTimeout;
    private final Duration timeout;
    private final int bufferSize;
    private final Consumer<Outcome> then;
    private final AtomicBoolean decided = new AtomicBoolean();
    private final byte[] head = new byte[MAX_HEAD];
    private int headLength;
    private AsynchronousSocketChannel channel;

    /**
     * @param requestHead the request line and headers to send, ending with the empty line
     * @param tls the TLS context of a wss:// or https:// member, null for a plain connection
     * @param timeout how long the response head may take (the worker's {@code timeout})
     * @param bufferSize the tunnel's read buffer per direction
     */
    public BackendHandshake(Tunnels tunnels, String host, int port, byte[] requestHead, SSLContext tls,
                            Duration connectTimeout, Duration timeout, int bufferSize, Consumer<Outcome> then) {
        this.tunnels = tunnels;
        this.address = new InetSocketAddress(host, port);
        this.request = ByteBuffer.wrap(requestHead);
        this.tls = tls;
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
            decide(new NotConnected(new java.net.UnknownHostException(address.getHostString())));
            return;
        }
        AtomicBoolean connected = new AtomicBoolean();
        ScheduledFuture<?> deadline = tunnels.timer().schedule(() -> {
            if (connected.compareAndSet(false, true)) {
                decide(new NotConnected(new java.net.ConnectException("connect timed out after "
                        + connectTimeout.toMillis() + " ms")));
            }
        }, connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
        channel.connect(address, null, new CompletionHandler<Void, Void>() {
            @Override
            public void completed(Void v, Void a) {
                deadline.cancel(false);
                if (connected.compareAndSet(false, true)) {
                    connected();
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

    private void connected() {
        // the handshake (TLS included) and the response head have the worker's timeout, as a first read would
        tunnels.timer().schedule(() -> decide(new Failed(new IOException("no response head within "
                + timeout.toMillis() + " ms"), true)), timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (tls == null) {
            send(new ChannelEnd(channel, bufferSize));
            return;
        }
        SSLEngine engine = tls.createSSLEngine(address.getHostString(), address.getPort());
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the member's host
        engine.setSSLParameters(parameters);
        TlsEnd.handshake(channel, engine, this::send, cause -> decide(new Failed(cause, false)));
    }

    private void send(TunnelEnd end) {
        end.write(request, new TunnelEnd.Writes() {
            @Override
            public void written() {
                readHead(end);
            }

            @Override
            public void failed(Throwable cause) {
                fail(cause);
            }
        });
    }

    private void readHead(TunnelEnd end) {
        end.read(new TunnelEnd.Reads() {
            @Override
            public void data(ByteBuffer bytes) {
                int n = Math.min(bytes.remaining(), MAX_HEAD - headLength);
                bytes.get(head, headLength, n);
                int from = Math.max(0, headLength - 3);
                headLength += n;
                int headEnd = ResponseHeads.endOfHead(head, headLength, from);
                if (headEnd >= 0) {
                    headArrived(headEnd, bytes, end);
                } else if (headLength == MAX_HEAD) {
                    decide(new Failed(new IOException("response head larger than " + MAX_HEAD + " bytes"), false));
                } else {
                    readHead(end);
                }
            }

            @Override
            public void ended() {
                decide(new Failed(new IOException("the backend closed the connection before a response head"), false));
            }

            @Override
            public void failed(Throwable cause) {
                fail(cause);
            }
        });
    }

    /** The head ends at {@code end} of what was read; {@code unread} holds what the last read left past it. */
    private void headArrived(int end, ByteBuffer unread, TunnelEnd source) {
        BasicHttpResponse response;
        try {
            response = ResponseHeads.parse(new String(head, 0, end, StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            decide(new Failed(e, false));
            return;
        }
        // what came after the head: the head buffer's tail and what the last read left unread, copied (the end
        // reuses its buffer)
        ByteBuffer rest = ByteBuffer.allocate(headLength - end + unread.remaining());
        rest.put(head, end, headLength - end).put(unread).flip();
        TunnelEnd backend = new PrefixedEnd(rest, source);
        if (response.getCode() == 101) {
            decide(new Switched(response, backend));
        } else {
            decide(new Answered(response, new ResponseBodyStream(backend, response, timeout)));
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
