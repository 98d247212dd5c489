package org.portico.shared.zk;

import org.portico.shared.SharedState;
import org.portico.shared.SharedStateEngine;
import org.portico.shared.StoreAddress;

/** The {@code zk://} engine (Apache Curator), shipped in {@code portico-shared-zk.jar}. */
public final class ZkEngine implements SharedStateEngine {

    @Override
    public String scheme() {
        return "zk";
    }

    @Override
    public SharedState open(StoreAddress address) {
        return new ZkSharedState(address);
    }
}
