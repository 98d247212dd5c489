package org.portico.proxy;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.hc.core5.http.nio.CapacityChannel;

/** The backend's response body on its way to the client; one per exchange, driven by the I/O reactor. */
interface ResponseBody {

    /** Called once, right after the response head was copied. */
    void start();

    void updateCapacity(CapacityChannel channel) throws IOException;

    /** Takes all of {@code src}. */
    void consume(ByteBuffer src) throws IOException;

    void streamEnd() throws IOException;

    long received();

    /** Whether bytes may have reached the client: after that, a failure can only abort the connection. */
    boolean started();

    /** Stops writing; later content is dropped. Returns whether the body had already finished. */
    boolean abandon();
}
