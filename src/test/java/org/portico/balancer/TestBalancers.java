package org.portico.balancer;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import org.portico.config.BalancerConfig;
import org.portico.config.SourceLocation;
import org.portico.config.StatusFlag;
import org.portico.config.WorkerConfig;
import org.portico.config.WorkerParams;

/** Balancers and members written the way httpd configures them, for this package's tests. */
final class TestBalancers {

    /** An arbitrary fixed start time: tests move the clock by hand. */
    static final long T0 = 1_700_000_000_000L;

    private TestBalancers() {
    }

    /** A member {@code http://<host>} with httpd's defaults: loadfactor 1, lbset 0, no route, retry 60 s. */
    static Member m(String host) {
        return new Member(host);
    }

    static Config balancer(Member... members) {
        return new Config(members);
    }

    /** The hosts {@code b} chooses for {@code n} requests without a session, space-separated ("-" for none). */
    static String sequence(Balancer b, int n, long nowMillis) {
        StringJoiner j = new StringJoiner(" ");
        for (int i = 0; i < n; i++) {
            Worker w = b.select(nowMillis);
            j.add(w == null ? "-" : host(w));
        }
        return j.toString();
    }

    static String host(Worker w) {
        return w.config().host();
    }

    /** A member under construction; {@link #config()} makes its WorkerConfig. */
    static final class Member {
        private final String host;
        private int lbfactor = 100;
        private int lbset;
        private String route = "";
        private String redirect = "";
        private int status;
        private Duration retry = Duration.ofSeconds(60);

        private Member(String host) {
            this.host = host;
        }

        /** The loadfactor as written in the descriptor (stored ×100, as httpd does). */
        Member loadfactor(double lf) {
            this.lbfactor = (int) (lf * 100);
            return this;
        }

        Member lbset(int set) {
            this.lbset = set;
            return this;
        }

        Member route(String r) {
            this.route = r;
            return this;
        }

        Member redirect(String r) {
            this.redirect = r;
            return this;
        }

        /** httpd's status syntax, e.g. {@code +H}, {@code D}, {@code S-E}. */
        Member status(String spec) {
            this.status = StatusFlag.apply(status, spec);
            return this;
        }

        Member retry(Duration d) {
            this.retry = d;
            return this;
        }

        WorkerConfig config() {
            WorkerParams d = WorkerParams.defaults();
            WorkerParams p = new WorkerParams(d.min(), d.max(), d.smax(), d.ttl(), d.acquire(), d.connectionTimeout(),
                    d.timeout(), retry, lbfactor, lbset, route, redirect, status, d.keepalive(), d.disableReuse(),
                    d.ping(), d.flushPackets(), d.flushWait(), d.ioBufferSize(), d.receiveBufferSize(),
                    d.responseFieldSize(), d.healthCheck(), d.trustStore());
            String name = "http://" + host;
            return new WorkerConfig(name, URI.create(name), p, SourceLocation.unknown("test"));
        }
    }

    /** A balancer configuration under construction, with httpd's defaults. */
    static final class Config {
        private final List<Member> members;
        private String name = "b";
        private String lbmethod = "byrequests";
        private String stickyCookie = "";
        private String stickyPath = "";
        private char separator = '.';
        private boolean scolon;
        private boolean noFailover;
        private Integer maxAttempts;
        private Set<Integer> failOnStatus = Set.of();
        private boolean failOnTimeout;
        private Duration timeout = Duration.ZERO;
        private boolean forceRecovery = true;
        private int growth;

        private Config(Member... members) {
            this.members = new ArrayList<>(Arrays.asList(members));
        }

        Config name(String n) {
            this.name = n;
            return this;
        }

        Config lbmethod(String m) {
            this.lbmethod = m;
            return this;
        }

        /** httpd's {@code stickysession}: {@code NAME} or {@code COOKIE|PARAMETER}. */
        Config sticky(String stickysession) {
            int bar = stickysession.indexOf('|');
            this.stickyCookie = bar < 0 ? stickysession : stickysession.substring(0, bar);
            this.stickyPath = bar < 0 ? stickysession : stickysession.substring(bar + 1);
            return this;
        }

        /** httpd's {@code stickysessionsep}; 0 is Off. */
        Config separator(char sep) {
            this.separator = sep;
            return this;
        }

        Config scolonPathDelim(boolean on) {
            this.scolon = on;
            return this;
        }

        Config noFailover(boolean on) {
            this.noFailover = on;
            return this;
        }

        Config maxAttempts(Integer n) {
            this.maxAttempts = n;
            return this;
        }

        Config failOnStatus(Integer... codes) {
            this.failOnStatus = Set.of(codes);
            return this;
        }

        Config failOnTimeout(boolean on) {
            this.failOnTimeout = on;
            return this;
        }

        Config timeout(Duration d) {
            this.timeout = d;
            return this;
        }

        Config forceRecovery(boolean on) {
            this.forceRecovery = on;
            return this;
        }

        /** Free member slots for members added at run time (httpd's BalancerGrowth). */
        Config growth(int slots) {
            this.growth = slots;
            return this;
        }

        BalancerConfig build() {
            List<WorkerConfig> ws = members.stream().map(Member::config).toList();
            return new BalancerConfig(name, lbmethod, stickyCookie, stickyPath, separator, scolon, noFailover,
                    maxAttempts, failOnStatus, failOnTimeout, timeout, forceRecovery, growth, null, ws,
                    SourceLocation.unknown("test"));
        }

        Balancer with(LbMethod method) {
            return new Balancer(build(), method);
        }

        Balancer with(LbMethod method, BalancerOptions options) {
            return new Balancer(build(), method, options);
        }

        /** With byrequests, httpd's default lbmethod. */
        Balancer byRequests() {
            return with(new ByRequests());
        }
    }
}
