package org.portico.shared.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * {@link SharedState} on etcd v3 through jetcd. A key's version is its mod revision; compare-and-set is one
 * transaction comparing every key's mod revision (or its absence). Ephemeral keys carry this instance's lease (ttl
 * seconds), kept alive by a tick every third of it; the same tick tells whether etcd answers. When it answers again
 * after an outage, or the watch failed (a compaction passed its revision), everything is read again and the watch
 * restarts from that read's revision. Thread-safe.
 */
final class EtcdSharedState implements SharedState {

    private static final Logger LOG = LoggerFactory.getLogger(EtcdSharedState.class);
    private static final long CALL_TIMEOUT_MS = 2000;

    private final StoreAddress address;
    private final Client client;
    private final long ttlSeconds;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "portico-shared-etcd");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, String> ephemerals = new ConcurrentHashMap<>();
    /** The ticker's own, but read by putEphemeral: 0 while there is no lease. */
    private volatile long leaseId;
    private volatile boolean connected;
    private volatile boolean needResync = true;
    private volatile String watchedDir;
    private volatile StoreListener listener;
    private Watch.Watcher watcher;

    EtcdSharedState(StoreAddress address) {
        this.address = address;
        this.ttlSeconds = address.ttl().toSeconds();
        List<String> endpoints = new ArrayList<>();
        for (String h : address.hosts()) {
            endpoints.add("http://" + h);
        }
        this.client = Client.builder().endpoints(endpoints.toArray(String[]::new))
                .connectTimeout(Duration.ofSeconds(2))
                .waitForReady(false)
                .retryMaxDuration(Duration.ofSeconds(2))
                .keepaliveTime(Duration.ofSeconds(5)).keepaliveTimeout(Duration.ofSeconds(3))
                .build();
        long period = Math.max(300, Math.min(1000, ttlSeconds * 1000 / 3));
        ticker.scheduleWithFixedDelay(this::tick, 0, period, TimeUnit.MILLISECONDS);
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    private static StoreEntry entry(KeyValue kv) {
        return new StoreEntry(kv.getKey().toString(StandardCharsets.UTF_8), kv.getValue().toString(StandardCharsets.UTF_8),
                kv.getModRevision());
    }

    private <T> T call(CompletableFuture<T> f, String what) throws StoreUnavailableException {
        try {
            return f.get(CALL_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException(address + ": interrupted while " + what, e);
        } catch (ExecutionException e) {
            throw new StoreUnavailableException(address + ": " + what + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new StoreUnavailableException(address + " did not answer " + what + " within " + CALL_TIMEOUT_MS + " ms", e);
        }
    }

    @Override
    public List<StoreEntry> list(String dir) throws StoreUnavailableException {
        return entries(listing(dir));
    }

    private GetResponse listing(String dir) throws StoreUnavailableException {
        return call(client.getKVClient().get(bytes(dir + "/"), GetOption.builder().isPrefix(true).build()), "a read");
    }

    private static List<StoreEntry> entries(GetResponse r) {
        List<StoreEntry> out = new ArrayList<>();
        for (KeyValue kv : r.getKvs()) {
            out.add(entry(kv));
        }
        return out;
    }

    @Override
    public Map<String, Long> commit(List<StoreWrite> writes) throws StoreConflictException, StoreUnavailableException {
        Cmp[] cmps = new Cmp[writes.size()];
        Op[] puts = new Op[writes.size()];
        Op[] gets = new Op[writes.size()];
        for (int i = 0; i < writes.size(); i++) {
            StoreWrite w = writes.get(i);
            ByteSequence key = bytes(w.key());
            cmps[i] = w.expectedVersion() == 0 ? new Cmp(key, Cmp.Op.EQUAL, CmpTarget.version(0))
                    : new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(w.expectedVersion()));
            puts[i] = Op.put(key, bytes(w.value()), PutOption.DEFAULT);
            gets[i] = Op.get(key, GetOption.DEFAULT);
        }
        TxnResponse r = call(client.getKVClient().txn().If(cmps).Then(puts).Else(gets).commit(), "a write");
        if (!r.isSucceeded()) {
            List<GetResponse> now = r.getGetResponses();
            for (int i = 0; i < writes.size(); i++) {
                List<KeyValue> kvs = now.get(i).getKvs();
                long version = kvs.isEmpty() ? 0 : kvs.get(0).getModRevision();
                if (version != writes.get(i).expectedVersion()) {
                    throw new StoreConflictException(writes.get(i).key(), kvs.isEmpty() ? null : entry(kvs.get(0)));
                }
            }
            throw new StoreConflictException(writes.get(0).key(), null);
        }
        Map<String, Long> versions = new LinkedHashMap<>();
        for (StoreWrite w : writes) {
            versions.put(w.key(), r.getHeader().getRevision());
        }
        return versions;
    }

    @Override
    public void watch(String dir, StoreListener l) {
        this.watchedDir = dir;
        this.listener = l;
        ticker.execute(() -> {
            if (connected) {
                l.connection(true); // it came up before anyone listened
            }
            tick();
        });
    }

    @Override
    public void putEphemeral(String key, String value) throws StoreUnavailableException {
        ephemerals.put(key, value);
        long lease = leaseId;
        if (lease == 0) {
            throw new StoreUnavailableException(address + ": no lease yet", null);
        }
        call(client.getKVClient().put(bytes(key), bytes(value), PutOption.builder().withLeaseId(lease).build()), "a put");
    }

    @Override
    public boolean connected() {
        return connected;
    }

    /** Keeps the lease alive (or takes a new one), notes whether etcd answers, and resyncs when due. */
    private void tick() {
        try {
            if (leaseId == 0) {
                long lease = call(client.getLeaseClient().grant(ttlSeconds), "a lease grant").getID();
                leaseId = lease;
                for (Map.Entry<String, String> e : ephemerals.entrySet()) {
                    call(client.getKVClient().put(bytes(e.getKey()), bytes(e.getValue()),
                            PutOption.builder().withLeaseId(lease).build()), "a put");
                }
            } else {
                try {
                    call(client.getLeaseClient().keepAliveOnce(leaseId), "a lease keep-alive");
                } catch (StoreUnavailableException e) {
                    if (String.valueOf(e.getMessage()).contains("lease not found")) {
                        leaseId = 0; // it expired while etcd was away: the next tick takes a new one
                        LOG.info("Shared state {}: the lease expired; taking a new one", address);
                        return;
                    }
                    throw e;
                }
            }
            setConnected(true);
            if (needResync && listener != null) {
                resync();
            }
        } catch (StoreUnavailableException | RuntimeException e) {
            needResync = true;
            setConnected(false);
            LOG.debug("Shared state {}: {}", address, e.getMessage());
        }
    }

    private void resync() throws StoreUnavailableException {
        GetResponse all = listing(watchedDir);
        needResync = false;
        synchronized (this) {
            if (watcher != null) {
                watcher.close();
            }
            WatchOption option = WatchOption.builder().isPrefix(true).withRevision(all.getHeader().getRevision() + 1).build();
            watcher = client.getWatchClient().watch(bytes(watchedDir + "/"), option,
                    Watch.listener(this::onWatch, this::onWatchError));
        }
        listener.resynced(entries(all));
    }

    private void onWatch(WatchResponse response) {
        StoreListener l = listener;
        for (WatchEvent e : response.getEvents()) {
            if (e.getEventType() == WatchEvent.EventType.PUT) {
                l.changed(entry(e.getKeyValue()));
            } else if (e.getEventType() == WatchEvent.EventType.DELETE) {
                l.deleted(e.getKeyValue().getKey().toString(StandardCharsets.UTF_8));
            }
        }
    }

    private void onWatchError(Throwable t) {
        LOG.info("Shared state {}: the watch ended ({}); everything is read again", address, t.toString());
        needResync = true;
    }

    private void setConnected(boolean up) {
        if (connected != up) {
            connected = up;
            StoreListener l = listener;
            if (l != null) {
                l.connection(up);
            }
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        synchronized (this) {
            if (watcher != null) {
                watcher.close();
            }
        }
        long lease = leaseId;
        if (lease != 0) {
            try {
                client.getLeaseClient().revoke(lease).get(1, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debug("Shared state {}: lease not revoked: {}", address, e.toString());
            }
        }
        client.close();
    }
}
