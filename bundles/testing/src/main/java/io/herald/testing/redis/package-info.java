/**
 * Real Redis for tests: {@link io.herald.testing.redis.RedisServer} (one standalone server),
 * {@link io.herald.testing.redis.SentinelTopology} (leader, replica, three sentinels) and
 * {@link io.herald.testing.redis.ClusterTopology} (three masters, three replicas), each made of {@code redis-server}
 * processes on free 127.0.0.1 ports in a temporary directory (plain, or TLS with a throwaway CA:
 * {@link io.herald.testing.redis.TlsFiles}), plus {@link io.herald.testing.redis.RespClient}, a
 * small RESP client for checks and admin commands.
 *
 * <p>Herald's Redis tests talk to real servers, never to mocks and never to port 6379. Everything started here is
 * {@link java.lang.AutoCloseable}; a JVM shutdown hook kills whatever a crashed test left running. Requires
 * {@code redis-server} and {@code redis-cli} on the {@code PATH} (the Debian/Ubuntu package {@code redis-server}, which
 * {@code .ci/run} installs); without them a test fails, it is never skipped.
 *
 * @since 1.0
 */
@org.osgi.annotation.versioning.Version("1.1.0")
package io.herald.testing.redis;
