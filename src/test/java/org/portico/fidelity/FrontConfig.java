package org.portico.fidelity;

import java.util.List;

/**
 * An httpd configuration (the proxy part: the kit adds the server-wide lines) and the scenarios run
 * against it; one httpd and one Portico run it for all of them, in order. In {@code text},
 * {@code {b1}}..{@code {b6}} stand for the backends' origins ({@code http://127.0.0.1:port}),
 * {@code {b1.hostport}} for {@code 127.0.0.1:port}, {@code {b1.port}} for the port, and {@code {dead}},
 * {@code {dead2}}, {@code {canned}}, {@code {garbage}}, {@code {badheader}}, {@code {silent}} for the special backends of
 * {@link BackendSet} (with the same suffixes), and {@code {hc1}}..{@code {hc4}} for its flapping backends.
 */
public record FrontConfig(String name, String about, String text, List<Scenario> scenarios) {

    public FrontConfig {
        scenarios = List.copyOf(scenarios);
    }

    public static FrontConfig of(String name, String about, String text, Scenario... scenarios) {
        return new FrontConfig(name, about, text, List.of(scenarios));
    }
}
