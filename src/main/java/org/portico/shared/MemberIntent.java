package org.portico.shared;

/**
 * The operator's intent for one balancer member, as shared (JSON by Gson, field names as here): what the
 * balancer-manager edits. Immutable.
 *
 * @param url       the member's URL
 * @param added     whether the manager added it (the descriptor does not define it)
 * @param status    the editable status flags that are on, by letter (of {@code INDHRSC})
 * @param writer    the instance that wrote it
 * @param writtenAt when, in milliseconds since the epoch on the writer's clock (for the propagation lag)
 */
public record MemberIntent(String url, boolean added, int lbfactor, int lbset, String route, String redirect,
                           String status, String hcmethod, String hcuri, long hcintervalMs, int hcpasses, int hcfails,
                           String hcexpr, String writer, long writtenAt) {
}
