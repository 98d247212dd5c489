/**
 * Shared state between Portico instances ({@code portico.shared-state}, README "Running several instances"): the
 * operator's intent for balancers and members and each instance's health observations, kept in etcd or ZooKeeper.
 *
 * <p>{@link org.portico.shared.SharedState} is the engine interface, found with {@link java.util.ServiceLoader}
 * through {@link org.portico.shared.SharedStateEngine}; the engines ({@code shared.etcd}, {@code shared.zk}) are
 * compiled here but packaged in their own optional jars, so this package depends on no store's client.
 * {@link org.portico.shared.SharedSync} applies what the store's watch delivers, on one thread, through the same
 * {@code BalancerEdit} a local manager edit uses ({@link org.portico.shared.Intents}); the manager writes by
 * compare-and-set and waits for its own watch. Depends on {@code balancer}, {@code config} and {@code proxy}; the
 * manager, the metrics and the web app's start-up depend on it.
 */
package org.portico.shared;
