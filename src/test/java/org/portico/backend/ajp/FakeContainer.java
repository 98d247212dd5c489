package org.portico.backend.ajp;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted AJP container on 127.0.0.1: each accepted connection runs the script, which reads the web
 * server's packets and writes the container's. For tests of the channel against exact packet sequences.
 */
final class FakeContainer implements AutoCloseable {

    /** One connection's side of the conversation. */
    interface Script {
        void run(Conn c) throws Exception;
    }

    /** The container's end of one connection. */
    static final class Conn {
        final Socket socket;
        final DataInputStream in;
        final OutputStream out;

        Conn(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new DataInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        /** The payload of the next packet from the web server (prefix 0x12 0x34 checked). */
        byte[] read() throws IOException {
            int a = in.readUnsignedByte();
            int b = in.readUnsignedByte();
            if (a != 0x12 || b != 0x34) {
                throw new IOException("bad prefix " + a + " " + b);
            }
            byte[] payload = new byte[in.readUnsignedShort()];
            in.readFully(payload);
            return payload;
        }

        void send(byte[] packet) throws IOException {
            out.write(packet);
            out.flush();
        }

        static byte[] headers(int status, String... nameValues) {
            AjpBytes b = new AjpBytes().b(AjpCodes.SEND_HEADERS).i(status).s("X").i(nameValues.length / 2);
            for (int i = 0; i < nameValues.length; i += 2) {
                b.s(nameValues[i]).s(nameValues[i + 1]);
            }
            return b.fromContainer();
        }

        static byte[] chunk(byte[] data, int off, int len) {
            return new AjpBytes().b(AjpCodes.SEND_BODY_CHUNK).i(len).raw(java.util.Arrays.copyOfRange(data, off, off + len))
                    .b(0).fromContainer();
        }

        static byte[] end(boolean reuse) {
            return new AjpBytes().b(AjpCodes.END_RESPONSE).b(reuse ? 1 : 0).fromContainer();
        }

        static byte[] getBody(int n) {
            return new AjpBytes().b(AjpCodes.GET_BODY_CHUNK).i(n).fromContainer();
        }
    }

    private final ServerSocket server;
    private final Script script;
    final AtomicInteger accepted = new AtomicInteger();
    final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    FakeContainer(Script script) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.script = script;
        Thread t = new Thread(this::accept, "fake-ajp-container");
        t.setDaemon(true);
        t.start();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                accepted.incrementAndGet();
                sockets.add(s);
                Thread t = new Thread(() -> {
                    try (s) {
                        script.run(new Conn(s));
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, "fake-ajp-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    int port() {
        return server.getLocalPort();
    }

    String origin() {
        return "ajp://127.0.0.1:" + port();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
