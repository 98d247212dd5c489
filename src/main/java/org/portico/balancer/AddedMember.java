package org.portico.balancer;

import java.net.URI;
import java.net.URISyntaxException;
import org.portico.config.SourceLocation;
import org.portico.config.StatusFlag;
import org.portico.config.WorkerConfig;
import org.portico.config.WorkerParams;

/**
 * The configuration of a member added at run time (the manager's {@code b_nwrkr}): httpd gives it
 * the defaults, inherited timeouts (ProxyTimeout) and nothing else, and starts it disabled (D) so that
 * it takes no traffic until an admin enables it. Stateless.
 */
public final class AddedMember {

    /** Where such members come from, in place of a descriptor position. */
    public static final SourceLocation SOURCE = SourceLocation.unknown("balancer-manager");

    private AddedMember() {
    }

    /** Whether {@code member} was added at run time (by the manager or a restored state). */
    public static boolean isAdded(WorkerConfig member) {
        return SOURCE.equals(member.where());
    }

    /**
     * The disabled member for {@code url}, named as the descriptor names members (no trailing slash
     * when the path is just {@code /}).
     *
     * @throws IllegalArgumentException saying what is wrong with the URL and what is allowed
     */
    public static WorkerConfig config(String url) {
        String u = url == null ? "" : url.trim();
        String example = "write http://host[:port][/path] or https://host[:port][/path]";
        if (u.isEmpty()) {
            throw new IllegalArgumentException("the member URL is empty: " + example);
        }
        URI uri;
        try {
            uri = new URI(u);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + u + "' is not a URL (" + e.getReason() + "): " + example);
        }
        String scheme = uri.getScheme();
        boolean http = "http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme);
        if (scheme == null || (!http && uri.isOpaque())) {
            throw new IllegalArgumentException("'" + u + "' has no scheme: " + example);
        }
        if (!http) {
            throw new IllegalArgumentException("'" + u + "': scheme " + scheme + ":// is not supported: " + example);
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("'" + u + "' has no host: " + example);
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("'" + u + "' must not have user info, a query or a fragment: " + example);
        }
        String name = u;
        if (name.endsWith("/") && "/".equals(uri.getRawPath())) {
            name = name.substring(0, name.length() - 1);
        }
        WorkerParams disabled = WorkerParams.custom().setStatus(StatusFlag.DISABLED.bit()).build();
        return new WorkerConfig(name, uri, disabled, SOURCE);
    }
}
