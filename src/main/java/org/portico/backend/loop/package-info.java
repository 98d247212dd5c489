/**
 * Plain HTTP/1.1 backend connections on the Jetty server's own selectors (Jetty 12 only): HttpCore's client duplexer
 * run over Jetty endpoints, pooled per worker.
 */
package org.portico.backend.loop;
