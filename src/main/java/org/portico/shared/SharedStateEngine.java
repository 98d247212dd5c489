package org.portico.shared;

/**
 * Makes the {@link SharedState} of one kind of store. Found with {@link java.util.ServiceLoader} in the web app's
 * class loader ({@code META-INF/services/org.portico.shared.SharedStateEngine}); the engines Portico ships live in
 * the optional jars {@code portico-shared-etcd.jar} and {@code portico-shared-zk.jar}.
 */
public interface SharedStateEngine {

    /** The address scheme this engine serves: {@code etcd} or {@code zk}. */
    String scheme();

    /**
     * A client for {@code address}, connecting in the background: it must return at once even when the store is
     * down, so that Portico starts on its snapshot.
     */
    SharedState open(StoreAddress address);
}
