package io.herald.redis.internal;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.herald.api.cache.Cache;
import io.herald.redis.RedisConnection;
import io.herald.testing.redis.RedisServer;

import redis.clients.jedis.UnifiedJedis;

/**
 * Round trips per second of the Redis-backed {@link Cache} ({@code save(key, value)} then {@code load(key)}, small
 * JSON values) with many concurrent callers, and as a baseline in the same run the same callers doing a plain Jedis
 * {@code SET} + {@code GET} of the same JSON text on the same pooled client. Run by {@code bench/cache.sh}, which
 * also measures {@code redis-benchmark} against the same server.
 *
 * <p>Why this class sits in {@code io.herald.redis.internal}: {@link RedisCache}, {@link HaRedisConnection} and
 * {@link ConnectionSettings} are package-private (the bundle publishes the cache only as an OSGi service). On the
 * plain class path of the benchmark jar a class in the same package may call them, so the benchmark builds exactly
 * the objects {@code RedisCacheComponent} builds, without reflection and without a public factory in the bundle.
 *
 * <pre>
 * java -cp bench/jmh/target/benchmarks.jar io.herald.redis.internal.CacheRoundTrips \
 *     [--port P] [--seconds 15] [--warmup 5] [--threads 16] [--keys 10000] [--only cache|jedis]
 * </pre>
 * Without {@code --port} it starts its own {@code redis-server} ({@link RedisServer}) and stops it at the end.
 * Each measurement prints a line {@code RESULT <name> rt_per_s=.. p50_ms=.. p99_ms=.. errors=.. client_cpu_us_per_rt=..}
 * for the script.
 */
public final class CacheRoundTrips {

    /** The cached value: a small JSON object, {@code {"id":..,"name":"..","tags":[..],"active":true}}. */
    public record Item(long id, String name, List<String> tags, boolean active) {
    }

    /** One round trip of one caller on key {@code key}; throws on failure. */
    private interface RoundTrip {
        void run(String key, long n);
    }

    private CacheRoundTrips() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "15"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "5"));
        int threads = Integer.parseInt(options.getOrDefault("threads", "16"));
        int keys = Integer.parseInt(options.getOrDefault("keys", "10000"));
        String only = options.getOrDefault("only", "");

        RedisServer ownServer = options.containsKey("port") ? null : RedisServer.start();
        int port = ownServer == null ? Integer.parseInt(options.get("port")) : ownServer.port();
        Map<String, Object> config = new HashMap<>();
        config.put("name", "client");
        config.put("host", "127.0.0.1");
        config.put("port", String.valueOf(port));
        // the shipped default pool (32) is larger than the callers: nobody waits for a connection
        HaRedisConnection connection = new HaRedisConnection(ConnectionSettings.parse(config, "client"));
        try {
            connection.start();
            awaitConnected(connection);
            ObjectMapper mapper = JsonMapper.builder().findAndAddModules().build();
            Cache cache = new RedisCache(connection, "bench-node", mapper);
            UnifiedJedis jedis = connection.client();
            String json = mapper.writeValueAsString(item(0));
            System.out.printf("redis 127.0.0.1:%d, %d callers, %d keys, value %d bytes of JSON, e.g. %s%n", port,
                    threads, keys, json.length(), json);
            System.out.printf("warm-up %d s, then %d s per measurement%n", warmup, seconds);

            if (!only.equals("jedis")) {
                measure("cache", threads, keys, warmup, seconds, (key, n) -> {
                    Item value = item(n);
                    cache.save(key, value);
                    Item loaded = cache.load(key, Item.class).orElseThrow(() -> new IllegalStateException(
                            "no value at " + key + " right after save"));
                    if (loaded.id() != n) {
                        throw new IllegalStateException("loaded " + loaded + " at " + key + ", saved " + value);
                    }
                });
            }
            if (!only.equals("cache")) {
                measure("jedis", threads, keys, warmup, seconds, (key, n) -> {
                    String redisKey = "bench:" + key;
                    jedis.set(redisKey, json);
                    if (jedis.get(redisKey) == null) {
                        throw new IllegalStateException("no value at " + redisKey + " right after SET");
                    }
                });
            }
        } finally {
            connection.close();
            if (ownServer != null) {
                ownServer.close();
            }
        }
    }

    private static Item item(long n) {
        return new Item(n, "herald", List.of("cache", "bench"), true);
    }

    /** Warms up, then measures {@code seconds} of round trips by {@code threads} callers, and prints the result. */
    private static void measure(String name, int threads, int keys, int warmup, int seconds, RoundTrip roundTrip)
            throws InterruptedException {
        run(threads, keys, warmup, roundTrip);
        long cpuBefore = processCpuNanos();
        List<long[]> samples = run(threads, keys, seconds, roundTrip);
        long cpuNanos = processCpuNanos() - cpuBefore;
        int count = samples.stream().mapToInt(s -> (int) s[0]).sum();
        long[] all = new long[count];
        int at = 0;
        long errors = 0;
        for (long[] s : samples) {
            int n = (int) s[0];
            errors += s[1];
            System.arraycopy(s, 2, all, at, n);
            at += n;
        }
        Arrays.sort(all);
        double perSecond = count / (double) seconds;
        System.out.printf("RESULT %s rt_per_s=%.0f p50_ms=%.3f p99_ms=%.3f errors=%d client_cpu_us_per_rt=%.1f%n",
                name, perSecond, percentile(all, 0.50) / 1e6, percentile(all, 0.99) / 1e6, errors,
                count == 0 ? Double.NaN : cpuNanos / 1e3 / count);
    }

    /**
     * Runs the callers for {@code seconds}. Returns per caller an array: [0] round trips done, [1] errors, then the
     * latency of each round trip in nanoseconds.
     */
    private static List<long[]> run(int threads, int keys, int seconds, RoundTrip roundTrip)
            throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        long[] deadline = new long[1];
        long[][] results = new long[threads][];
        AtomicReference<Throwable> firstError = new AtomicReference<>();
        List<Thread> callers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int caller = t;
            Thread thread = new Thread(() -> {
                long[] samples = new long[1 << 16];
                int count = 0;
                long errors = 0;
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                long end = deadline[0];
                for (long n = caller; ; n += threads) {
                    String key = "bench-" + (n % keys);
                    long start = System.nanoTime();
                    if (start >= end) {
                        break;
                    }
                    try {
                        roundTrip.run(key, n);
                    } catch (RuntimeException e) {
                        errors++;
                        firstError.compareAndSet(null, e);
                        continue;
                    }
                    if (count + 2 == samples.length) {
                        samples = Arrays.copyOf(samples, samples.length * 2);
                    }
                    samples[2 + count++] = System.nanoTime() - start;
                }
                samples[0] = count;
                samples[1] = errors;
                results[caller] = samples;
            }, "caller-" + t);
            callers.add(thread);
            thread.start();
        }
        ready.await();
        deadline[0] = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        go.countDown();
        for (Thread thread : callers) {
            thread.join();
        }
        if (firstError.get() != null) {
            System.out.println("first error: " + firstError.get());
        }
        return List.of(results);
    }

    /** CPU time of this whole JVM (callers, GC, JIT), user and system: the client's cost per round trip. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    }

    private static void awaitConnected(HaRedisConnection connection) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (connection.state() != RedisConnection.State.CONNECTED) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not CONNECTED within 10 s: " + connection.lastError());
            }
            Thread.sleep(20);
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                throw new IllegalArgumentException("usage: [--port P] [--seconds S] [--warmup S] [--threads N]"
                        + " [--keys N] [--only cache|jedis]; got " + String.join(" ", args));
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }
}
