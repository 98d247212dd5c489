/**
 * Request path to pass rule and backend URL, as httpd's {@code ap_proxy_trans_match}: normalise the raw path,
 * walk the ProxyPass/ProxyPassMatch rules in order, and build the target from the still-encoded remainder.
 */
package org.portico.routing;
