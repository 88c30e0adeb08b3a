package io.herald.launcher.internal.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor's decisions with stand-in nodes: shell processes that print the launcher's started line and exit 0 on
 * SIGTERM (the real nodes, on the built distribution, are {@code SupervisorIT}'s). No signal is sent to this JVM: the
 * test calls what the signals call.
 */
class SupervisorTest {

    /** A node that serves after {@code $DELAY} seconds and stops on SIGTERM; its title and pid go to nodes.log. */
    private static final String NODE = "echo \"$HERALD_TITLE $$\" >> \"$NODES_LOG\"; sleep \"${DELAY:-0.2}\";"
            + " echo 'Herald test started: role=all env=test id='\"$HERALD_TITLE\"' in 1 ms';"
            + " trap 'echo stopping; exit 0' TERM; while :; do sleep 0.05; done";
    private static final Pattern NODE_LINE = Pattern.compile("herald cluster: node (\\S+) \\(pid (\\d+)\\) (\\w+)");

    @TempDir
    Path home;

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8);
    private Supervisor supervisor;

    private Supervisor supervisor(int workers, String script, Map<String, String> env) {
        Map<String, String> environment = new LinkedHashMap<>(env);
        environment.put("NODES_LOG", home.resolve("nodes.log").toString());
        supervisor = new Supervisor(home.resolve("pids"), "test", List.of("sh", "-c", script), environment, workers, 5_000,
                print, print);
        assertTrue(supervisor.writePidfile());
        supervisor.startNodes();
        return supervisor;
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (supervisor != null) {
            supervisor.stopAll("test end");
            supervisor.awaitStopped();
        }
    }

    private String output() {
        return output.toString(StandardCharsets.UTF_8);
    }

    /** Titles and pids of the nodes that serve, from the supervisor's lines. */
    private Map<String, Long> serving() {
        Map<String, Long> serving = new LinkedHashMap<>();
        Matcher line = NODE_LINE.matcher(output());
        while (line.find()) {
            long pid = Long.parseLong(line.group(2));
            switch (line.group(3)) {
                case "serves" -> serving.put(line.group(1), pid);
                case "stopped", "exited" -> serving.remove(line.group(1), pid);
                default -> { }
            }
        }
        return serving;
    }

    private Map<String, Long> awaitServing(int count) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (serving().size() != count) {
            assertTrue(System.nanoTime() < deadline, "not " + count + " nodes serving:\n" + output());
            Thread.sleep(20);
        }
        return serving();
    }

    private void awaitOutput(String text) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!output().contains(text)) {
            assertTrue(System.nanoTime() < deadline, "no '" + text + "':\n" + output());
            Thread.sleep(20);
        }
    }

    @Test
    void starts_the_nodes_with_their_own_titles_and_copies_their_output_prefixed() throws Exception {
        supervisor(2, NODE, Map.of());
        Map<String, Long> serving = awaitServing(2);
        assertEquals(List.of("test-1", "test-2"), serving.keySet().stream().sorted().toList());
        assertTrue(output().contains("[test-1] Herald test started: role=all env=test id=test-1 in 1 ms"), output());
        assertEquals(Long.toString(ProcessHandle.current().pid()), Files.readString(home.resolve("pids/cluster_pidfile")));
    }

    @Test
    void a_rolling_restart_starts_each_new_node_before_it_stops_an_old_one() throws Exception {
        supervisor(2, NODE, Map.of("DELAY", "0.3"));
        Map<String, Long> before = awaitServing(2);

        supervisor.rollingRestart();
        awaitOutput("herald cluster: rolling restart of 2 nodes done in");

        Map<String, Long> after = awaitServing(2);
        assertTrue(after.values().stream().noneMatch(before::containsValue), before + " -> " + after);
        // In order: a new node serves, then the first old one stops; the next new node serves before the second stops.
        List<String> events = new ArrayList<>();
        Matcher line = NODE_LINE.matcher(output().substring(output().indexOf("USR2")));
        while (line.find()) {
            if (!line.group(3).equals("starting")) {
                events.add(line.group(1) + " " + line.group(3));
            }
        }
        List<String> old = before.keySet().stream().sorted().toList();
        int firstStop = events.indexOf(old.get(0) + " stopped");
        int secondStop = events.indexOf(old.get(1) + " stopped");
        assertTrue(firstStop > 0 && events.subList(0, firstStop).stream().filter(e -> e.endsWith("serves")).count() >= 1,
                events.toString());
        assertTrue(secondStop > 0 && events.subList(0, secondStop).stream().filter(e -> e.endsWith("serves")).count() >= 2,
                events.toString());
        assertTrue(after.keySet().stream().allMatch(title -> title.matches("test-[1-4]")), "numbers are reused: " + after);
    }

    @Test
    void a_node_killed_after_it_served_is_replaced_at_once() throws Exception {
        supervisor(2, NODE, Map.of());
        Map<String, Long> serving = awaitServing(2);
        long victim = serving.get("test-1");

        ProcessHandle.of(victim).orElseThrow().destroyForcibly();

        awaitOutput("node test-1 (pid " + victim + ") exited with 137; replacing it now");
        Map<String, Long> replaced = awaitServing(2);
        assertFalse(replaced.containsValue(victim));
        assertEquals("test-1", replaced.entrySet().stream().filter(e -> !serving.containsValue(e.getValue()))
                .findFirst().orElseThrow().getKey(), "the free number is taken again: " + replaced);
    }

    @Test
    void ttin_adds_a_node_and_ttou_removes_the_highest_numbered_but_never_the_last() throws Exception {
        supervisor(1, NODE, Map.of());
        awaitServing(1);

        supervisor.resize(+1);
        assertEquals(List.of("test-1", "test-2"), awaitServing(2).keySet().stream().sorted().toList());

        supervisor.resize(-1);
        awaitOutput("node test-2 (pid");
        awaitOutput("stopped (exit 0)");
        assertEquals(List.of("test-1"), awaitServing(1).keySet().stream().toList());

        supervisor.resize(-1);
        assertTrue(output().contains("TTOU: one node is the fewest; the cluster keeps it"), output());
        assertEquals(1, serving().size());
    }

    @Test
    void nodes_that_exit_before_they_serve_are_started_again_after_a_growing_delay() throws Exception {
        supervisor(1, "echo 'config error'; exit 1", Map.of());

        awaitOutput("starting a node again in 2000 ms");

        String output = output();
        assertTrue(output.contains("exited with 1 before it served; starting a node again in 1000 ms"), output);
        assertTrue(output.contains("[test-1] config error"), output);
        assertEquals(2, output.split("\\) starting", -1).length - 1, "one start per delay:\n" + output);
    }

    @Test
    void a_stop_ends_every_node_and_removes_the_cluster_pidfile() throws Exception {
        supervisor(2, NODE, Map.of());
        Map<String, Long> serving = awaitServing(2);

        supervisor.stopAll("SIGTERM");
        supervisor.awaitStopped();
        supervisor = null;

        for (long pid : serving.values()) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "node " + pid + " stopped");
        }
        assertFalse(Files.exists(home.resolve("pids/cluster_pidfile")));
        assertTrue(output().contains("herald cluster: SIGTERM received, stopping 2 nodes"), output());
        assertTrue(output().contains("[test-1] stopping"), "the node got SIGTERM: " + output());
    }

    @Test
    void a_second_supervisor_of_the_same_home_is_refused() throws Exception {
        Path pids = Files.createDirectories(home.resolve("pids"));
        Process other = new ProcessBuilder("sleep", "30").start();
        try {
            Files.writeString(pids.resolve("cluster_pidfile"), Long.toString(other.pid()));
            Supervisor second = new Supervisor(pids, "test", List.of("true"), Map.of(), 1, 5_000, print, print);
            assertFalse(second.writePidfile());
            assertTrue(output().contains("herald: a cluster already runs from this home (pid " + other.pid() + ", "),
                    output());
        } finally {
            other.destroy();
        }
    }
}
