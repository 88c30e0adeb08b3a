/**
 * Named Redis connections that ride out failovers. Each connection configured by a factory configuration of
 * {@code io.herald.redis.connection} is published as a {@link io.herald.redis.RedisConnection} service with the
 * property {@code herald.redis.connection=<name>}, so the cache, the tasks and the cluster bus can each point at their
 * own Redis by config alone (Actionhero's {@code client}, {@code subscriber} and {@code tasks} connections).
 *
 * @since 1.0
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package io.herald.redis;
