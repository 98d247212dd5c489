/**
 * The differential test kit: each {@link org.portico.fidelity.FrontConfig} (an httpd configuration with
 * backend placeholders) runs in a real httpd 2.4 ({@link org.portico.fidelity.HttpdProcess}) and in the
 * standalone jar with {@code --httpd-config}; every {@link org.portico.fidelity.Scenario} sends both the
 * same raw requests ({@link org.portico.fidelity.Send}) and compares, normalised
 * ({@link org.portico.fidelity.Observation}, {@link org.portico.fidelity.Normaliser}), what the client got
 * and what the loopback backends ({@link org.portico.fidelity.BackendSet}) received.
 *
 * <p>A difference is either listed in {@link org.portico.fidelity.Differences} (on purpose, or a known bug
 * with its issue) or fails {@link org.portico.fidelity.StandaloneHttpdDifferentialIT}. Run it alone with
 * {@code mvn verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=StandaloneHttpdDifferentialIT},
 * a few configurations or scenarios with {@code -Dfidelity.only=REGEX}; read {@code target/fidelity-report.md}
 * and {@code target/fidelity-observations.txt}; each configuration's httpd.conf and httpd logs stay in
 * {@code target/fidelity/}.
 */
package org.portico.fidelity;
