package org.portico.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.glassfish.jaxb.core.Locatable;
import org.portico.config.xml.Worker;

/** Binds one {@code <worker>} or {@code <member>} to a {@link WorkerConfig}, with httpd's parameter rules. */
final class WorkerBinder {


    private final ElementErrors errors;
    private final Map<String, HealthCheck> templates;
    private final Map<String, String> hcExprs;
    private final Map<String, TrustStoreConfig> trustStores;
    private final List<String> warnings;

    /** The maps are the binder's own, filled before the first worker is bound. */
    WorkerBinder(ElementErrors errors, Map<String, HealthCheck> templates, Map<String, String> hcExprs,
                 Map<String, TrustStoreConfig> trustStores, List<String> warnings) {
        this.errors = errors;
        this.templates = templates;
        this.hcExprs = hcExprs;
        this.trustStores = trustStores;
        this.warnings = warnings;
    }

    WorkerConfig worker(Worker w, boolean direct) throws DescriptorException {
        URI uri = backendUri(w.getUrl(), w, "url");
        String name = WorkerConfig.name(w.getUrl(), uri);
        WorkerParams d = WorkerParams.defaults();
        int lbfactor = d.lbfactor();
        if (w.getLoadfactor() != null) {
            try {
                lbfactor = WorkerParams.lbfactor(w.getLoadfactor());
            } catch (IllegalArgumentException e) {
                throw error(w, "loadfactor", e.getMessage() + ": use a number from 1 to 100");
            }
        }
        int status = 0;
        if (w.getStatus() != null) {
            try {
                status = StatusFlag.apply(0, w.getStatus());
            } catch (IllegalArgumentException e) {
                throw error(w, "status", "status '" + w.getStatus() + "': " + e.getMessage());
            }
        }
        if (direct) {
            // as httpd: a worker outside a balancer never goes into error state
            status |= StatusFlag.IGNORE_ERRORS.bit();
        }
        int max = w.getMax() == null ? d.max() : w.getMax();
        int min = w.getMin() == null ? 0 : Math.min(w.getMin(), max);
        int smax = w.getSmax() == null ? max : Math.min(w.getSmax(), max);
        Duration ttl = duration(w.getTtl());
        if (ttl != null && ttl.toMillis() < 1000) {
            throw error(w, "ttl", "ttl must be at least one second");
        }
        Duration acquire = positive(w, "acquire", w.getAcquire());
        Duration connectTimeout = positive(w, "connectiontimeout", w.getConnectiontimeout());
        Duration timeout = positive(w, "timeout", w.getTimeout());
        Duration ping = positive(w, "ping", w.getPing());
        Duration retry = w.getRetry() == null ? d.retry() : Durations.parse(w.getRetry());
        boolean disableReuse = Boolean.TRUE.equals(w.isDisablereuse()) || Boolean.FALSE.equals(w.isEnablereuse());
        int ioBuffer = w.getIobuffersize() == null || w.getIobuffersize() == 0 ? d.ioBufferSize() : w.getIobuffersize();
        if (ioBuffer < 512) {
            throw error(w, "iobuffersize", "iobuffersize " + ioBuffer + " is too small: use 512 or more (0 means 8192)");
        }
        int receiveBuffer = w.getReceivebuffersize() == null ? 0 : w.getReceivebuffersize();
        if (receiveBuffer != 0 && receiveBuffer < 512) {
            throw error(w, "receivebuffersize", "receivebuffersize " + receiveBuffer + " is too small: use 512 or more, or 0 for the OS default");
        }
        int fieldSize = w.getResponsefieldsize() == null || w.getResponsefieldsize() == 0 ? d.responseFieldSize() : w.getResponsefieldsize();
        Duration flushWait = w.getFlushwait() == null ? d.flushWait() : Durations.parse(w.getFlushwait());
        if (flushWait.toMillis() > 1000) {
            throw error(w, "flushwait", "flushwait " + w.getFlushwait() + " is out of range: use 0ms to 1000ms");
        }
        HealthCheck base = HealthCheck.NONE;
        if (w.getHctemplate() != null) {
            base = templates.get(w.getHctemplate());
            if (base == null) {
                throw error(w, "hctemplate", "hctemplate '" + w.getHctemplate() + "' is not defined by an hc-template element"
                        + (templates.isEmpty() ? "" : " (defined: " + String.join(", ", templates.keySet().stream().sorted().toList()) + ")"));
            }
        }
        HealthCheck hc = healthCheck(w, base, w.getHcmethod() == null ? null : w.getHcmethod().value(), w.getHcuri(),
                w.getHcinterval(), w.getHcpasses(), w.getHcfails(), w.getHcexpr());
        BackendScheme scheme = BackendScheme.of(uri.getScheme()).orElseThrow();
        String unfit = HealthCheck.unfit(hc.method(), scheme);
        if (unfit != null) {
            throw error(w, "hcmethod", "hcmethod " + hc.method() + " on " + name + " " + unfit);
        }
        if (w.getSecret() != null && scheme != BackendScheme.AJP) {
            throw error(w, "secret", "secret on " + name + " is AJP's shared secret: only ajp:// workers take it");
        }
        if (w.getMin() != null || w.getSmax() != null) {
            warnings.add(where(w) + ": min and smax on " + name + " have no effect: Portico's pool opens connections on"
                    + " demand, keeps up to max and closes idle ones after ttl");
        }
        if (w.getFlushpackets() != null || w.getFlushwait() != null) {
            warnings.add(where(w) + ": flushpackets and flushwait on " + name + " have no effect: Portico passes each"
                    + " piece of a response on as it arrives from the backend, as flushpackets=on would");
        }
                if (direct && hc.enabled()) {
            warnings.add(where(w) + ": hcmethod " + hc.method() + " on worker " + name + " has no effect: as in httpd,"
                    + " health checks run only for balancer members");
        } else if (hc.method().equalsIgnoreCase("TCP") && !hc.expr().isEmpty()) {
            warnings.add(where(w) + ": hcexpr '" + hc.expr() + "' on " + name + " has no effect: a TCP check only connects");
        } else if (hc.method().equalsIgnoreCase("CPING") && !hc.expr().isEmpty()) {
            warnings.add(where(w) + ": hcexpr '" + hc.expr() + "' on " + name + " has no effect: a CPING check has no"
                    + " response to test");
        }
        TrustStoreConfig trust = null;
        if (w.getTrustStore() != null) {
            trust = trustStores.get(w.getTrustStore());
            if (trust == null) {
                throw error(w, "trust-store", "trust-store '" + w.getTrustStore() + "' is not declared by a trust-store element"
                        + (trustStores.isEmpty() ? "" : " (declared: " + String.join(", ", trustStores.keySet().stream().sorted().toList()) + ")"));
            }
        }
        if (trust != null && !BackendScheme.of(uri.getScheme()).orElseThrow().secure()) {
            warnings.add(where(w) + ": trust-store on " + name + " has no effect: it is not a TLS (https://, wss://, h2://) URL");
        }
        UpgradeProtocols upgrade = UpgradeProtocols.NONE;
        if (w.getUpgrade() != null) {
            try {
                upgrade = UpgradeProtocols.of(w.getUpgrade());
            } catch (IllegalArgumentException e) {
                throw error(w, "upgrade", e.getMessage());
            }
        }
        if (upgrade.enabled() && scheme.http2()) {
            throw error(w, "upgrade", name + ": an HTTP/2 member cannot take an HTTP/1.1 upgrade (as mod_proxy_http2, which has no"
                    + " upgrade): use an http:// or ws:// member for the protocols in upgrade");
        }
        if (upgrade.enabled() && scheme == BackendScheme.AJP) {
            throw error(w, "upgrade", name + ": an AJP member cannot tunnel an upgrade (AJP carries one request and its"
                    + " response, as mod_proxy_ajp): use an http:// or ws:// member for the protocols in upgrade");
        }
        WorkerParams params = WorkerParams.custom().setMin(min).setMax(max).setSmax(smax).setTtl(ttl).setAcquire(acquire)
                .setConnectionTimeout(connectTimeout).setTimeout(timeout).setRetry(retry).setLbfactor(lbfactor)
                .setLbset(w.getLbset() == null ? 0 : w.getLbset()).setRoute(nz(w.getRoute())).setRedirect(nz(w.getRedirect()))
                .setStatus(status).setKeepalive(Boolean.TRUE.equals(w.isKeepalive())).setDisableReuse(disableReuse)
                .setPing(ping).setFlushPackets(w.getFlushpackets() == null ? "off" : w.getFlushpackets().value())
                .setFlushWait(flushWait).setIoBufferSize(ioBuffer).setReceiveBufferSize(receiveBuffer)
                .setResponseFieldSize(fieldSize).setHealthCheck(hc).setTrustStore(trust).setSecret(w.getSecret())
                .setUpgrade(upgrade).build();
        return new WorkerConfig(name, uri, params, where(w));
    }

    HealthCheck healthCheck(Locatable at, HealthCheck base, String method, String uri, String interval,
                                    Integer passes, Integer fails, String expr) throws DescriptorException {
        Duration iv = interval == null ? base.interval() : Durations.parse(interval);
        if (iv.toMillis() < 100) {
            throw error(at, "hcinterval", "hcinterval " + interval + " is too short: use 100ms or more");
        }
        String e = expr == null ? base.expr() : expr;
        if (!e.isEmpty() && !hcExprs.containsKey(e)) {
            throw error(at, expr == null ? "hctemplate" : "hcexpr", "hcexpr '" + e + "' is not defined by an hc-expr element"
                    + (hcExprs.isEmpty() ? "" : " (defined: " + String.join(", ", hcExprs.keySet().stream().sorted().toList()) + ")"));
        }
        return new HealthCheck(method == null ? base.method() : method, uri == null ? base.uri() : uri, iv,
                passes == null ? base.passes() : passes, fails == null ? base.fails() : fails, e);
    }

    URI backendUri(String url, Locatable at, String attribute) throws DescriptorException {
        try {
            return WorkerConfig.backendUri(url);
        } catch (IllegalArgumentException e) {
            throw error(at, attribute, attribute + " " + e.getMessage());
        }
    }

    private Duration positive(Locatable at, String name, String text) throws DescriptorException {
        Duration d = duration(text);
        if (d != null && d.isZero()) {
            throw error(at, name, name + " must be at least 1ms");
        }
        return d;
    }

    private static Duration duration(String text) {
        return text == null ? null : Durations.parse(text);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private SourceLocation where(Object o) {
        return errors.where(o);
    }

    private DescriptorException error(Object at, String attribute, String problem) {
        return errors.error(at, attribute, problem);
    }
}
