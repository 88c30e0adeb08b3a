/**
 * The cluster bus: messages and calls between the nodes of a Herald cluster, as Actionhero's {@code redis.publish} and
 * {@code redis.doCluster}.
 *
 * <pre>
 *   node A                                   node B
 *   ClusterBus.publish("chat", msg) ──┐      ┌──▶ subscribe("chat", listener)
 *   ClusterBus.callAll("m", args) ────┼──────┼──▶ ClusterCallHandler @ClusterMethod("m") ──reply──┐
 *                   ▲                 │      │                                                  │
 *                   └──── replies ◀───┴──────┴──────────────────────────────────────────────────┘
 *          (every envelope is signed with the shared serverToken; forged or altered ones are dropped)
 * </pre>
 *
 * <p>The core provides {@link io.herald.api.cluster.ClusterBus} on every node. Without Redis the bus connects only this
 * node (the embedded default); with the Redis bundle installed it connects every node sharing that Redis. Code using
 * the bus is the same either way.
 *
 * @since 1.0
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package io.herald.api.cluster;
