package org.portico.backend.ajp;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import org.apache.hc.core5.http.ConnectionClosedException;

/**
 * One blocking TCP connection to an AJP connector: packets out, packets in, CPING. Used by one exchange at a
 * time (the pool hands it over); {@link #close()} may come from any thread and unblocks a read in progress.
 */
final class AjpConnection implements AutoCloseable {

    /** Where to connect and how (a worker's socket parameters). */
    record Endpoint(String host, int port, Duration connectTimeout, Duration timeout, boolean keepalive,
                    int receiveBufferSize) {
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final int timeoutMillis;
    /** The payload of the last packet read; valid until the next read. */
    private byte[] packet = new byte[AjpCodes.DEFAULT_PACKET];
    private int packetLength;
    private volatile long idleSinceNanos = System.nanoTime();
    private int exchanges;

    private AjpConnection(Socket socket, int timeoutMillis) throws IOException {
        this.socket = socket;
        this.timeoutMillis = timeoutMillis;
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), AjpCodes.DEFAULT_PACKET * 2));
        this.out = socket.getOutputStream();
        socket.setSoTimeout(timeoutMillis);
    }

    /**
     * Connects within the endpoint's connect timeout.
     *
     * @throws UnknownHostException when the host does not resolve
     * @throws IOException when the connector cannot be reached
     */
    static AjpConnection open(Endpoint e) throws IOException {
        InetSocketAddress address = new InetSocketAddress(e.host(), e.port());
        if (address.isUnresolved()) {
            throw new UnknownHostException(e.host());
        }
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.setKeepAlive(e.keepalive());
            if (e.receiveBufferSize() > 0) {
                s.setReceiveBufferSize(e.receiveBufferSize());
            }
            s.connect(address, millis(e.connectTimeout()));
            return new AjpConnection(s, millis(e.timeout()));
        } catch (IOException | RuntimeException ex) {
            s.close();
            throw ex;
        }
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
    }

    /** Sends {@code length} bytes of {@code bytes} at once. */
    void write(byte[] bytes, int length) throws IOException {
        out.write(bytes, 0, length);
    }

    /**
     * Reads the next packet from the container and returns its type (its first payload byte); the payload
     * after the type is then {@link #reader()}'s. Waits up to {@code timeout}.
     *
     * @throws ConnectionClosedException when the container closed the connection
     * @throws java.net.SocketTimeoutException when nothing came within the timeout
     */
    int readPacket() throws IOException {
        int a;
        try {
            a = in.read();
        } catch (java.net.SocketException e) {
            if (isClosed()) {
                throw new ConnectionClosedException("the AJP connection was closed");
            }
            throw e;
        }
        if (a < 0) {
            throw new ConnectionClosedException("the AJP connector closed the connection");
        }
        int b = in.read();
        if (a != AjpCodes.FROM_CONTAINER_0 || b != AjpCodes.FROM_CONTAINER_1) {
            throw new AjpReader.Malformed("prefix 0x" + Integer.toHexString(a) + " 0x" + Integer.toHexString(b)
                    + " where 'AB' starts a packet");
        }
        int length;
        try {
            length = in.readUnsignedShort();
            if (length == 0) {
                throw new AjpReader.Malformed("an empty packet");
            }
            if (length > packet.length) {
                packet = new byte[Math.min(AjpCodes.LARGEST_PACKET, Math.max(length, packet.length * 2))];
            }
            in.readFully(packet, 0, length);
        } catch (EOFException e) {
            throw new ConnectionClosedException("the AJP connector closed the connection within a packet");
        }
        packetLength = length;
        return packet[0] & 0xFF;
    }

    /** The last packet's payload after its type byte. */
    AjpReader reader() {
        return new AjpReader(packet, 1, packetLength - 1);
    }

    /** The last packet's bytes (the payload, its type at 0); valid until the next read. */
    byte[] packet() {
        return packet;
    }

    /**
     * CPING, and waits up to {@code within} for the CPONG (httpd's ping of an AJP worker).
     *
     * @return false when the container did not answer in time or answered something else
     */
    boolean cping(Duration within) throws IOException {
        out.write(Cping.REQUEST);
        socket.setSoTimeout(millis(within));
        try {
            return readPacket() == AjpCodes.CPONG_REPLY && packetLength == 1;
        } catch (SocketTimeoutException e) {
            return false;
        } finally {
            socket.setSoTimeout(timeoutMillis);
        }
    }

    /**
     * Whether a connection that sat idle in the pool was closed by the container meanwhile (or sent what it
     * should not have): waits a millisecond for a byte or the end of the stream. Checked only on connections
     * idle for a while, as HttpClient validates pooled connections after a second of inactivity.
     */
    boolean stale() {
        try {
            if (in.available() > 0) {
                return true;
            }
            socket.setSoTimeout(1);
            try {
                in.read(); // a byte, or -1 for the end of the stream: either way not fit for a request
                return true;
            } catch (SocketTimeoutException e) {
                return false; // silent, as an idle connection should be
            } finally {
                socket.setSoTimeout(timeoutMillis);
            }
        } catch (IOException e) {
            return true;
        }
    }

    /** Marks the start of an idle period (back in the pool). */
    void idle() {
        idleSinceNanos = System.nanoTime();
    }

    long idleNanos(long nowNanos) {
        return nowNanos - idleSinceNanos;
    }

    /** Counts an exchange on this connection; returns whether it is the first (a fresh connection). */
    boolean startExchange() {
        return exchanges++ == 0;
    }

    boolean isClosed() {
        return socket.isClosed();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing: nothing left to do with it
        }
    }

    @Override
    public String toString() {
        return "ajp " + socket.getLocalPort() + "->" + socket.getRemoteSocketAddress();
    }
}
