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
            Worker w = b.selectWithoutSession(nowMillis).worker();
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
        private final WorkerParams.Builder params = WorkerParams.custom();
        private int status;

        private Member(String host) {
            this.host = host;
        }

        /** The loadfactor as written in the descriptor (stored ×100, as httpd does). */
        Member loadfactor(double lf) {
            params.setLbfactor((int) (lf * 100));
            return this;
        }

        Member lbset(int set) {
            params.setLbset(set);
            return this;
        }

        Member route(String r) {
            params.setRoute(r);
            return this;
        }

        Member redirect(String r) {
            params.setRedirect(r);
            return this;
        }

        /** httpd's status syntax, e.g. {@code +H}, {@code D}, {@code S-E}. */
        Member status(String spec) {
            status = StatusFlag.apply(status, spec);
            params.setStatus(status);
            return this;
        }

        Member retry(Duration d) {
            params.setRetry(d);
            return this;
        }

        WorkerConfig config() {
            String name = "http://" + host;
            return new WorkerConfig(name, URI.create(name), params.build(), SourceLocation.unknown("test"));
        }
    }

    /** A balancer configuration under construction, with httpd's defaults. */
    static final class Config {
        private final List<Member> members;
        private final BalancerConfig.Builder config = BalancerConfig.custom("b").setWhere(SourceLocation.unknown("test"));

        private Config(Member... members) {
            this.members = new ArrayList<>(Arrays.asList(members));
        }

        Config name(String n) {
            config.setName(n);
            return this;
        }

        Config lbmethod(String m) {
            config.setLbmethod(m);
            return this;
        }

        /** httpd's {@code stickysession}: {@code NAME} or {@code COOKIE|PARAMETER}. */
        Config sticky(String stickysession) {
            int bar = stickysession.indexOf('|');
            config.setStickyCookie(bar < 0 ? stickysession : stickysession.substring(0, bar));
            config.setStickyPath(bar < 0 ? stickysession : stickysession.substring(bar + 1));
            return this;
        }

        /** httpd's {@code stickysessionsep}; 0 is Off. */
        Config separator(char sep) {
            config.setSeparator(sep);
            return this;
        }

        Config scolonPathDelim(boolean on) {
            config.setScolonPathDelim(on);
            return this;
        }

        Config noFailover(boolean on) {
            config.setNoFailover(on);
            return this;
        }

        Config maxAttempts(Integer n) {
            config.setMaxAttempts(n);
            return this;
        }

        Config failOnStatus(Integer... codes) {
            config.setFailOnStatus(Set.of(codes));
            return this;
        }

        Config failOnTimeout(boolean on) {
            config.setFailOnTimeout(on);
            return this;
        }

        Config timeout(Duration d) {
            config.setTimeout(d);
            return this;
        }

        Config forceRecovery(boolean on) {
            config.setForceRecovery(on);
            return this;
        }

        /** Free member slots for members added at run time (httpd's BalancerGrowth). */
        Config growth(int slots) {
            config.setGrowth(slots);
            return this;
        }

        BalancerConfig build() {
            return config.setMembers(members.stream().map(Member::config).toList()).build();
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
