package org.portico.fidelity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.portico.testkit.FlappingBackend;

/**
 * Something a scenario does between its requests on one side, whose outcome line is compared like an
 * answer: switch a {@link FlappingBackend}'s health, or wait until the proxy routes to a member. Waits are
 * on conditions with generous bounds; two sides that behave alike write the same line.
 */
interface Step {

    /** What the step does, for the observation and the report. */
    String summary();

    /** Does it against the side listening on {@code port}; returns the outcome, equal on sides that behave alike. */
    String run(int port, BackendSet backends);

    /** Makes {@code backend} (a {@code hcN} of {@link BackendSet}) answer as {@code mode} from now on. */
    record Flip(String backend, FlappingBackend.Mode mode) implements Step {
        @Override
        public String summary() {
            return backend + " now " + mode;
        }

        @Override
        public String run(int port, BackendSet backends) {
            try {
                backends.flapping(backend).mode(mode);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return "done";
        }
    }

    /**
     * Sends {@code probe} again and again until {@code member} answers it, within {@code bound}: the
     * proxy's health checks took a member out of rotation or put it back. The probes are not compared
     * (how many it took depends on timing), only whether the member answered in time.
     */
    record AwaitMember(Send probe, String member, Duration bound) implements Step {
        @Override
        public String summary() {
            return "until " + member + " answers " + probe.summary();
        }

        @Override
        public String run(int port, BackendSet backends) {
            byte[] bytes = backends.fill(probe.text()).replace("{front}", "127.0.0.1:" + port)
                    .getBytes(StandardCharsets.ISO_8859_1);
            long deadline = System.nanoTime() + bound.toNanos();
            String last;
            while (true) {
                WireClient.Answer a = WireClient.exchange(port, bytes, false, false, WireClient.UNTIMED_MILLIS);
                String answered = a.header("X-Backend");
                if (member.equals(answered)) {
                    return "reached";
                }
                last = a.statusLine() == null ? a.failure() : a.statusLine() + " from " + answered;
                if (System.nanoTime() > deadline) {
                    return "not reached within " + bound.toSeconds() + " s; last: " + last;
                }
                LockSupport.parkNanos(Duration.ofMillis(25).toNanos()); // a short pause between asks, not a guess
            }
        }
    }
}
