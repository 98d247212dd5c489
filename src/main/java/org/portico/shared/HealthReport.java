package org.portico.shared;

/**
 * What one instance observes of one member (JSON by Gson), on an ephemeral key: gone when the instance is.
 *
 * @param error  whether the member is in error (E) or failed its health check (C) there
 * @param status the member's whole status string there, as the manager shows it
 * @param since  when this observation began, in milliseconds since the epoch
 */
public record HealthReport(boolean error, String status, long since) {
}
