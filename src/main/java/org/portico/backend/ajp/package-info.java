/**
 * AJP/1.3 backends ({@code ajp://}) as httpd's mod_proxy_ajp speaks to them: the codec (packets, forward
 * request, response head), blocking connections with CPING, a pool per worker and the channel that runs the
 * proxy's exchanges over them.
 */
package org.portico.backend.ajp;
