package io.herald.server.web.internal;

import org.osgi.service.cm.ConfigurationException;

/**
 * What the web server holds of threads and buffers. Its platform threads (Jetty's QueuedThreadPool): how many it keeps
 * while idle, how many it may grow to under load, and how soon the extra ones leave once the load is gone (two of the
 * idle ones are always busy: the acceptor and the selector of the listener). Its I/O buffers (Jetty's
 * ArrayByteBufferPool): how much memory the pool keeps.
 *
 * <p>Jetty's own defaults (8 to 200 threads, one thread leaving per minute) made a node that served a burst keep its
 * grown pool for an hour: each platform thread holds its stack and its thread-local buffers (issue 15: 7 threads idle,
 * 72 after a burst at 64 connections). Here every thread above {@code minThreads} that has been idle for
 * {@code threadIdleTimeout} leaves, all of them within that one period. Jetty's buffer pool keeps, by default, up to an
 * eighth of the heap's maximum in heap buffers and as much again in direct ones; here a fixed bound.
 *
 * @param minThreads threads kept while idle (Jetty starts them at once)
 * @param maxThreads the most platform threads; on Java 17 requests run on them, so this bounds the requests served at
 *        once (more wait in Jetty's queue); with virtual threads (21+) actions run on those instead, and the platform
 *        threads only read and write connections
 * @param idleTimeoutMillis a thread above {@code minThreads} idle this long leaves
 * @param reservedThreads threads Jetty keeps parked to take over reading a connection while a request runs (its
 *        execute-produce-consume strategy): -1 lets Jetty choose, 0 turns them off
 * @param maxBufferPoolMemory the most bytes of heap buffers the pool keeps, and the most of direct buffers
 */
record PoolSettings(int minThreads, int maxThreads, long idleTimeoutMillis, int reservedThreads, long maxBufferPoolMemory) {

    /** Jetty refuses a pool smaller than the threads its connector leases (acceptor, selector) and one to run requests. */
    static final int MIN_MAX_THREADS = 4;

    static PoolSettings from(WebServerConfig config) throws ConfigurationException {
        long min = config.minThreads();
        long max = config.maxThreads();
        if (min < 2) {
            throw new ConfigurationException("minThreads", "must be 2 or more (the acceptor and the selector), was " + min);
        }
        if (max < MIN_MAX_THREADS || max > 10_000) {
            throw new ConfigurationException("maxThreads", "must be " + MIN_MAX_THREADS + " to 10000, was " + max);
        }
        if (min > max) {
            throw new ConfigurationException("minThreads", "must be at most maxThreads (" + max + "), was " + min);
        }
        long idle = config.threadIdleTimeout();
        if (idle < 1 || idle > Integer.MAX_VALUE) {
            throw new ConfigurationException("threadIdleTimeout", "must be 1 to " + Integer.MAX_VALUE
                    + " milliseconds, was " + idle);
        }
        long reserved = config.reservedThreads();
        if (reserved < -1 || reserved > max / 2) {
            throw new ConfigurationException("reservedThreads", "must be -1 (Jetty chooses), 0 (none) or at most half of "
                    + "maxThreads (" + max / 2 + "), was " + reserved);
        }
        long buffers = config.maxBufferPoolMemory();
        if (buffers < 0) {
            throw new ConfigurationException("maxBufferPoolMemory", "must be 0 or more bytes, was " + buffers);
        }
        return new PoolSettings((int) min, (int) max, idle, (int) reserved, buffers);
    }
}
