package org.portico.shared.zk;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryNTimes;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.portico.shared.SharedState;
import org.portico.shared.StoreAddress;
import org.portico.shared.StoreConflictException;
import org.portico.shared.StoreEntry;
import org.portico.shared.StoreListener;
import org.portico.shared.StoreUnavailableException;
import org.portico.shared.StoreWrite;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SharedState} on ZooKeeper through Apache Curator. A key is a znode; its version is the node's data version
 * plus one (0: absent); compare-and-set is one multi-op transaction (create where the writer saw nothing, else
 * setData at the version it saw). Ephemeral keys are ephemeral nodes of this instance's session, whose timeout is
 * the address's ttl, put again when a new session starts. The watch is Curator's {@link CuratorCache} of the
 * directory, which re-reads the tree after a reconnect. Thread-safe.
 */
final class ZkSharedState implements SharedState {

    private static final Logger LOG = LoggerFactory.getLogger(ZkSharedState.class);

    private final StoreAddress address;
    private final CuratorFramework client;
    private final Map<String, String> ephemerals = new ConcurrentHashMap<>();
    private final ExecutorService events = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "portico-shared-zk");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean connected;
    private volatile StoreListener listener;
    private CuratorCache cache;

    ZkSharedState(StoreAddress address) {
        this.address = address;
        int ttl = (int) address.ttl().toMillis();
        this.client = CuratorFrameworkFactory.builder().connectString(String.join(",", address.hosts()))
                .sessionTimeoutMs(ttl).connectionTimeoutMs(Math.min(ttl, 2000))
                .retryPolicy(new RetryNTimes(1, 200)).defaultData(new byte[0]).build();
        client.getConnectionStateListenable().addListener((c, state) -> events.execute(() -> onState(state)));
        client.start();
    }

    private void onState(ConnectionState state) {
        boolean up = state.isConnected();
        if (up && !connected) {
            for (Map.Entry<String, String> e : ephemerals.entrySet()) {
                try {
                    put(e.getKey(), e.getValue());
                } catch (Exception ex) {
                    LOG.info("Shared state {}: {} not put again: {}", address, e.getKey(), ex.toString());
                }
            }
        }
        connected = up;
        StoreListener l = listener;
        if (l != null) {
            l.connection(up);
        }
    }

    private static String text(byte[] b) {
        return b == null ? "" : new String(b, StandardCharsets.UTF_8);
    }

    private void checkConnected() throws StoreUnavailableException {
        if (!client.getZookeeperClient().isConnected()) {
            throw new StoreUnavailableException(address + " is not connected", null);
        }
    }

    private StoreUnavailableException unavailable(String what, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new StoreUnavailableException(address + ": " + what + " failed: " + e, e);
    }

    @Override
    public List<StoreEntry> list(String dir) throws StoreUnavailableException {
        checkConnected();
        List<StoreEntry> out = new ArrayList<>();
        try {
            collect(dir, out);
        } catch (KeeperException.NoNodeException e) {
            return out;
        } catch (Exception e) {
            throw unavailable("a read", e);
        }
        return out;
    }

    private void collect(String path, List<StoreEntry> out) throws Exception {
        for (String child : client.getChildren().forPath(path)) {
            String p = ZKPaths.makePath(path, child);
            Stat stat = new Stat();
            byte[] data;
            try {
                data = client.getData().storingStatIn(stat).forPath(p);
            } catch (KeeperException.NoNodeException e) {
                continue;
            }
            if (data != null && data.length > 0) {
                out.add(new StoreEntry(p, text(data), stat.getVersion() + 1L));
            }
            collect(p, out);
        }
    }

    @Override
    public Map<String, Long> commit(List<StoreWrite> writes) throws StoreConflictException, StoreUnavailableException {
        checkConnected();
        List<CuratorOp> ops = new ArrayList<>();
        try {
            for (StoreWrite w : writes) {
                byte[] data = w.value().getBytes(StandardCharsets.UTF_8);
                if (w.expectedVersion() == 0) {
                    client.createContainers(ZKPaths.getPathAndNode(w.key()).getPath());
                    ops.add(client.transactionOp().create().withMode(CreateMode.PERSISTENT).forPath(w.key(), data));
                } else {
                    ops.add(client.transactionOp().setData().withVersion((int) (w.expectedVersion() - 1))
                            .forPath(w.key(), data));
                }
            }
            List<CuratorTransactionResult> results = client.transaction().forOperations(ops);
            Map<String, Long> versions = new LinkedHashMap<>();
            for (int i = 0; i < writes.size(); i++) {
                Stat stat = results.get(i).getResultStat();
                versions.put(writes.get(i).key(), stat == null ? 1L : stat.getVersion() + 1L);
            }
            return versions;
        } catch (KeeperException.NodeExistsException | KeeperException.BadVersionException
                 | KeeperException.NoNodeException e) {
            throw conflict(writes);
        } catch (Exception e) {
            throw unavailable("a write", e);
        }
    }

    /** The conflict of a refused transaction: the first key found at another version than the writer saw. */
    private StoreConflictException conflict(List<StoreWrite> writes) throws StoreUnavailableException {
        try {
            for (StoreWrite w : writes) {
                Stat stat = new Stat();
                StoreEntry now;
                try {
                    now = new StoreEntry(w.key(), text(client.getData().storingStatIn(stat).forPath(w.key())),
                            stat.getVersion() + 1L);
                } catch (KeeperException.NoNodeException e) {
                    now = null;
                }
                if ((now == null ? 0 : now.version()) != w.expectedVersion()) {
                    return new StoreConflictException(w.key(), now);
                }
            }
        } catch (Exception e) {
            throw unavailable("a read after a conflict", e);
        }
        return new StoreConflictException(writes.get(0).key(), null);
    }

    @Override
    public void watch(String dir, StoreListener l) {
        this.listener = l;
        events.execute(() -> {
            if (connected) {
                l.connection(true);
            }
        });
        CuratorCacheListener cl = CuratorCacheListener.builder()
                .forCreatesAndChanges((before, node) -> {
                    if (node.getData() != null && node.getData().length > 0) {
                        l.changed(new StoreEntry(node.getPath(), text(node.getData()), node.getStat().getVersion() + 1L));
                    }
                })
                .forDeletes(node -> l.deleted(node.getPath()))
                .forInitialized(() -> {
                    List<StoreEntry> all = new ArrayList<>();
                    cache.stream().filter(n -> n.getData() != null && n.getData().length > 0)
                            .forEach((ChildData n) -> all.add(new StoreEntry(n.getPath(), text(n.getData()),
                                    n.getStat().getVersion() + 1L)));
                    l.resynced(all);
                })
                .build();
        synchronized (this) {
            cache = CuratorCache.build(client, dir);
            cache.listenable().addListener(cl);
            cache.start();
        }
    }

    @Override
    public void putEphemeral(String key, String value) throws StoreUnavailableException {
        ephemerals.put(key, value);
        checkConnected();
        try {
            put(key, value);
        } catch (Exception e) {
            throw unavailable("a put", e);
        }
    }

    private void put(String key, String value) throws Exception {
        client.create().orSetData().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL)
                .forPath(key, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean connected() {
        return connected;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (cache != null) {
                cache.close();
            }
        }
        client.close();
        events.shutdownNow();
    }
}
