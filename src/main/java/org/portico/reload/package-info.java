/**
 * Hot reload of the descriptor: {@link org.portico.reload.DescriptorReload} loads and validates the file again
 * and swaps the next generation of the proxy in ({@link org.portico.proxy.LiveGateway#reload}), on a
 * balancer-manager action or when {@link org.portico.reload.DescriptorWatch} sees the file change; a bad file
 * leaves the running generation alone. Knows nothing of servlets.
 */
package org.portico.reload;
