package org.portico.balancer;

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
        if (u.isEmpty()) {
            throw new IllegalArgumentException("the member URL is empty: write http://host[:port][/path] or https://host[:port][/path]");
        }
        WorkerConfig member = WorkerConfig.of(u, WorkerParams.custom().setStatus(StatusFlag.DISABLED.bit()).build(), SOURCE);
        if (member.uri().getRawUserInfo() != null) {
            throw new IllegalArgumentException("'" + u + "' must not have user info: its credentials would show on every page");
        }
        return member;
    }
}
