package org.portico.shared.etcd;

import org.portico.shared.SharedState;
import org.portico.shared.SharedStateEngine;
import org.portico.shared.StoreAddress;

/** The {@code etcd://} engine (jetcd), shipped in {@code portico-shared-etcd.jar}. */
public final class EtcdEngine implements SharedStateEngine {

    @Override
    public String scheme() {
        return "etcd";
    }

    @Override
    public SharedState open(StoreAddress address) {
        return new EtcdSharedState(address);
    }
}
