package io.herald.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * {@code bin/herald cluster} on the built distribution: the supervisor and its nodes as real processes sharing one port,
 * under a wrk-like {@link Load} of keep-alive clients: a rolling restart on USR2, a node killed with -9, TTIN and TTOU,
 * TERM, a bad {@code --workers}, and nodes that cannot start.
 */
class SupervisorIT {

    private static final String ECHO = "/api/echo?message=x";
    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration SETTLE = Duration.ofSeconds(60);
    /**
     * A rolling restart under load on a small host: each new JVM starts while the load keeps every core busy (measured on
     * 2 shared cores: 10 to 40 s per node); bench/cluster.sh measures it, this only bounds it.
     */
    private static final Duration ROLL = Duration.ofMinutes(4);
    /** The supervisor's lines about its nodes: {@code herald cluster: node herald-1 (pid 123) serves}. */
    private static final Pattern NODE_LINE = Pattern.compile("herald cluster: node (\\S+) \\(pid (\\d+)\\) (\\w+)");
    private static final Pattern RETRY_DELAY = Pattern.compile("starting a node again in (\\d+) ms");

    /** The per-request log lines of development would fill the test's log: the nodes log warnings only. */
    private static Map<String, String> env(String... more) {
        Map<String, String> env = new HashMap<>(Map.of("LOG_LEVEL", "WARN"));
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    private static HeraldProcess cluster(Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("cluster"));
        command.addAll(List.of(args));
        return HeraldProcess.startIn(HeraldProcess.newHome(HeraldProcess.EXAMPLE_JAR), env, command.toArray(String[]::new));
    }

    /** The pids of the nodes that serve now, by title, from the supervisor's lines. */
    private static Map<String, Long> serving(HeraldProcess cluster) {
        Map<String, Long> serving = new LinkedHashMap<>();
        Matcher line = NODE_LINE.matcher(cluster.output());
        while (line.find()) {
            long pid = Long.parseLong(line.group(2));
            switch (line.group(3)) {
                case "serves" -> serving.put(line.group(1), pid);
                case "stopped", "exited", "did" -> serving.remove(line.group(1), pid);
                default -> { }
            }
        }
        return serving;
    }

    private static Map<String, Long> awaitServing(HeraldProcess cluster, int count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<String, Long> serving = serving(cluster);
            if (serving.size() == count && serving.values().stream().allMatch(SupervisorIT::alive)) {
                return serving;
            }
            if (!cluster.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("not " + count + " nodes serving within " + timeout + " but " + serving + ":\n"
                        + cluster.output());
            }
            Thread.sleep(50);
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static void awaitOutput(HeraldProcess cluster, String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!cluster.output().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + text + "' within " + timeout + ":\n" + cluster.output());
            }
            Thread.sleep(50);
        }
    }

    private static List<Path> nodePidfiles(HeraldProcess cluster) throws IOException {
        try (Stream<Path> files = Files.list(cluster.home.resolve("pids"))) {
            return files.filter(file -> file.getFileName().toString().startsWith("herald-")).toList();
        }
    }

    @Test
    void usr2_under_load_replaces_every_node_one_at_a_time_and_fails_no_request() throws Exception {
        try (HeraldProcess cluster = cluster(env(), "--workers", "2")) {
            Map<String, Long> before = awaitServing(cluster, 2, START);
            assertEquals(Long.toString(cluster.pid()), Files.readString(cluster.home.resolve("pids/cluster_pidfile")));
            try (Load load = Load.start(() -> cluster.uri(ECHO), 8, Set.of(200))) {
                load.awaitMore(500, SETTLE);

                cluster.signal("USR2");
                awaitOutput(cluster, "herald cluster: rolling restart of 2 nodes done in", ROLL);

                load.awaitMore(500, SETTLE);
                load.stop();
                assertEquals(0, load.failureCount(), "no failed request, no 503: " + load.summary());
                assertEquals(0, load.refused(), "the port never refused a connection: " + load.summary());
            }
            Map<String, Long> after = awaitServing(cluster, 2, SETTLE);
            for (long pid : before.values()) {
                assertFalse(after.containsValue(pid), "node pid " + pid + " was replaced: " + before + " -> " + after);
                assertFalse(alive(pid), "the old node " + pid + " has exited");
            }
            String output = cluster.output();
            // one at a time: each old node is stopped only after a new one serves
            for (Map.Entry<String, Long> old : before.entrySet()) {
                int stopped = output.indexOf("node " + old.getKey() + " (pid " + old.getValue() + ") stopped");
                assertTrue(stopped > 0, "the old node " + old + " stopped:\n" + output);
            }
            int firstNewServes = after.entrySet().stream()
                    .mapToInt(e -> output.indexOf("node " + e.getKey() + " (pid " + e.getValue() + ") serves")).min().orElseThrow();
            int firstOldStops = before.entrySet().stream()
                    .mapToInt(e -> output.indexOf("node " + e.getKey() + " (pid " + e.getValue() + ") stopped")).min().orElseThrow();
            assertTrue(firstNewServes < firstOldStops, "a new node served before the first old one stopped:\n" + output);
        }
    }

    @Test
    void a_killed_node_is_replaced_at_once_ttin_adds_one_ttou_removes_one_and_term_stops_all() throws Exception {
        try (HeraldProcess cluster = cluster(env(), "--workers", "2")) {
            Map<String, Long> serving = awaitServing(cluster, 2, START);
            Map.Entry<String, Long> victim = serving.entrySet().iterator().next();

            int startsBefore = count(cluster.output(), ") starting");
            long killedAt = System.nanoTime();
            ProcessHandle.of(victim.getValue()).orElseThrow().destroyForcibly();
            while (count(cluster.output(), ") starting") == startsBefore) {
                assertTrue(System.nanoTime() - killedAt < Duration.ofSeconds(10).toNanos(), "no replacement:\n" + cluster.output());
                Thread.sleep(20);
            }
            long replacedMillis = (System.nanoTime() - killedAt) / 1_000_000;
            assertTrue(replacedMillis <= 2_000, "a replacement started " + replacedMillis + " ms after kill -9:\n"
                    + cluster.output());
            assertTrue(cluster.output().contains("node " + victim.getKey() + " (pid " + victim.getValue()
                    + ") exited with 137; replacing it now"), cluster.output());
            Map<String, Long> replaced = awaitServing(cluster, 2, START);
            assertFalse(replaced.containsValue(victim.getValue()));

            cluster.signal("TTIN");
            Map<String, Long> three = awaitServing(cluster, 3, START);
            assertTrue(cluster.output().contains("herald cluster: TTIN: 3 nodes wanted"), cluster.output());

            cluster.signal("TTOU");
            Map<String, Long> two = awaitServing(cluster, 2, SETTLE);
            assertTrue(cluster.output().contains("herald cluster: TTOU: 2 nodes wanted"), cluster.output());
            assertTrue(three.keySet().containsAll(two.keySet()), "TTOU stopped one node and kept the others: " + three
                    + " -> " + two);

            cluster.signal("TERM");
            assertEquals(0, cluster.awaitExit(Duration.ofSeconds(60)), cluster.output());
            for (long pid : three.values()) {
                assertFalse(alive(pid), "node " + pid + " stopped with the cluster");
            }
            assertFalse(Files.exists(cluster.home.resolve("pids/cluster_pidfile")), "no cluster pidfile left");
            assertEquals(List.of(), nodePidfiles(cluster), "the nodes removed their pidfiles");
            assertTrue(cluster.output().contains("herald cluster: SIGTERM received, stopping 2 nodes"), cluster.output());
        }
    }

    @Test
    void nodes_whose_supervisor_was_killed_stop_gracefully_instead_of_running_on_unsupervised() throws Exception {
        try (HeraldProcess cluster = cluster(env(), "--workers", "1")) {
            long node = awaitServing(cluster, 1, START).values().iterator().next();

            cluster.killJvm();

            ProcessHandle handle = ProcessHandle.of(node).orElseThrow();
            handle.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
            // Its console went to the supervisor, now gone; the core removes the pidfile in a graceful stop only.
            assertEquals(List.of(), nodePidfiles(cluster), "the node stopped gracefully: it removed its pidfile");
        }
    }

    @Test
    void a_bad_number_of_workers_is_refused_with_exit_1_before_anything_starts() throws Exception {
        try (HeraldProcess cluster = cluster(env(), "--workers", "zero")) {
            assertEquals(1, cluster.awaitExit(Duration.ofSeconds(30)), cluster.output());
            assertTrue(cluster.output().contains("herald: --workers must be a whole number from 1 to 64, was 'zero'"),
                    cluster.output());
            assertFalse(Files.exists(cluster.home.resolve("pids/cluster_pidfile")));
            assertFalse(cluster.output().contains("starting"), cluster.output());
        }
    }

    @Test
    void nodes_that_cannot_start_are_started_again_less_and_less_often_not_in_a_busy_loop() throws Exception {
        // A value the web server's metatype refuses: every node exits 1 at start, before it serves.
        try (HeraldProcess cluster = cluster(env("ENABLE_WEB_SERVER", "perhaps"), "--workers", "2")) {
            awaitOutput(cluster, "starting a node again in 4000 ms", START);
            String output = cluster.output();
            assertTrue(output.contains("config error") && output.contains("perhaps"), "the nodes say why:\n" + output);
            List<Long> delays = new ArrayList<>();
            Matcher delay = RETRY_DELAY.matcher(output);
            while (delay.find()) {
                delays.add(Long.parseLong(delay.group(1)));
            }
            assertEquals(List.of(1000L, 2000L, 4000L), delays.subList(0, 3), output);
            assertTrue(count(output, ") starting") <= 6, "a start per failure, no more:\n" + output);

            cluster.signal("TERM");
            assertEquals(0, cluster.awaitExit(Duration.ofSeconds(60)), cluster.output());
            assertFalse(Files.exists(cluster.home.resolve("pids/cluster_pidfile")));
        }
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
