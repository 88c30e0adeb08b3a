package io.herald.launcher.internal.cluster;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import sun.misc.Signal;

/**
 * {@code herald cluster --workers N}: Actionhero's {@code start cluster}. A small process that keeps N nodes running
 * ({@link NodeProcess}, each {@code bin/herald start} with its own title {@code <title>-<n>}), all on one TCP port
 * ({@code HERALD_REUSE_PORT=true}: SO_REUSEPORT, the kernel spreads new connections over them), and
 * <ul>
 * <li>writes {@code pids/cluster_pidfile} (Actionhero's name) with its own pid, and removes it when it stops;</li>
 * <li>replaces a node that dies: at once if it had been serving, after a growing delay if it could not start
 * ({@link Backoff});</li>
 * <li>on USR2 replaces the nodes one at a time: a new node starts, and only once it serves is the old one stopped
 * (SIGTERM: it stops accepting and lets its clients reconnect to the others), so a new release or JDK behind
 * {@code bin/herald} goes live without a failed request. Actionhero's rolling restart stops a worker before its
 * replacement starts, which Node's shared listening socket makes safe; here every node has its own listener, so the
 * replacement must listen first;</li>
 * <li>on TTIN starts one more node, on TTOU stops one (the highest numbered; at least one stays), as Actionhero's
 * cluster;</li>
 * <li>on TERM or INT stops every node gracefully, then itself.</li>
 * </ul>
 * Node numbers are the smallest free ones, so the nodes of N use at most 2N titles (and data directories, each with
 * its class data sharing archive) however many restarts; a number whose pidfile names a live process (a node of a
 * supervisor killed with -9) is skipped.
 */
public final class Supervisor {

    /** Tells a node its supervisor's pid: the node stops when that process is gone (the launcher watches it). */
    public static final String PID_VARIABLE = "HERALD_SUPERVISOR_PID";
    /** Actionhero's cluster pidfile, in {@code pids/}. */
    public static final String PIDFILE = "cluster_pidfile";
    /**
     * How long a node started by a rolling restart may take to serve before the restart gives up (the old node keeps
     * serving). Generous: the new JVM starts while the others keep the host's cores busy (10 to 40 s seen on 2 cores).
     */
    private static final long READY_TIMEOUT_MILLIS = Long.getLong("herald.cluster.ready.timeout", 300_000);
    /** Beyond the node's own shutdown timeout, before a node that does not exit is killed. */
    private static final long KILL_MARGIN_MILLIS = 5_000;

    private final Path pidsDir;
    private final String baseTitle;
    private final List<String> command;
    private final Map<String, String> environment;
    private final long stopTimeoutMillis;
    private final PrintStream out;
    private final PrintStream err;
    private final Backoff backoff = new Backoff();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "herald-cluster");
        thread.setDaemon(true);
        return thread;
    });
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** The nodes started and not yet exited, by number; guarded by {@code this}. */
    private final Map<Integer, NodeProcess> nodes = new HashMap<>();
    private int wanted;
    private boolean stopping;
    private boolean rolling;
    private boolean rollAgain;

    /**
     * @param pidsDir     where the cluster pidfile and the nodes' pidfiles are
     * @param baseTitle   the nodes are titled {@code <baseTitle>-<n>}
     * @param command     {@code bin/herald start} with the launcher's options for every node
     * @param environment added to the supervisor's environment for every node (not HERALD_TITLE: set per node)
     * @param stopTimeoutMillis the nodes' graceful stop timeout ({@code HERALD_SHUTDOWN_TIMEOUT})
     */
    public Supervisor(Path pidsDir, String baseTitle, List<String> command, Map<String, String> environment,
            int workers, long stopTimeoutMillis, PrintStream out, PrintStream err) {
        this.pidsDir = pidsDir;
        this.baseTitle = baseTitle;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.wanted = workers;
        this.stopTimeoutMillis = stopTimeoutMillis;
        this.out = out;
        this.err = err;
    }

    /**
     * Runs the cluster until TERM or INT.
     *
     * @return the exit code: 0 after a stop, 1 when another cluster runs from this home
     */
    public int run() throws InterruptedException {
        if (!writePidfile()) {
            return 1;
        }
        for (String name : List.of("TERM", "INT")) {
            Signal.handle(new Signal(name), signal -> stopAll("SIG" + signal.getName()));
        }
        Signal.handle(new Signal("USR2"), signal -> rollingRestart());
        Signal.handle(new Signal("TTIN"), signal -> later(() -> resize(+1)));
        Signal.handle(new Signal("TTOU"), signal -> later(() -> resize(-1)));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAll("exit"), "herald-cluster-exit"));
        startNodes();
        awaitStopped();
        return 0;
    }

    /** Writes {@code pids/cluster_pidfile}; false (said why) when another live supervisor holds it or it cannot be. */
    boolean writePidfile() {
        Path pidfile = pidsDir.resolve(PIDFILE);
        long self = ProcessHandle.current().pid();
        try {
            Files.createDirectories(pidsDir);
            long other = readPid(pidfile);
            if (other > 0 && other != self && ProcessHandle.of(other).map(ProcessHandle::isAlive).orElse(false)) {
                err.println("herald: a cluster already runs from this home (pid " + other + ", " + pidfile + ")");
                return false;
            }
            Files.writeString(pidfile, Long.toString(self), StandardCharsets.US_ASCII);
            return true;
        } catch (IOException e) {
            err.println("herald: cannot write " + pidfile + ": " + e.getMessage());
            return false;
        }
    }

    void startNodes() {
        say("supervisor pid " + ProcessHandle.current().pid() + " starts " + wanted + " node" + (wanted == 1 ? "" : "s")
                + " (" + pidsDir.resolve(PIDFILE) + ")");
        later(this::fill);
    }

    /** Waits until {@link #stopAll} is done, then removes the cluster pidfile. */
    void awaitStopped() throws InterruptedException {
        stopped.await();
        Path pidfile = pidsDir.resolve(PIDFILE);
        try {
            if (readPid(pidfile) == ProcessHandle.current().pid()) {
                Files.deleteIfExists(pidfile);
            }
        } catch (IOException e) {
            err.println("herald: cannot remove " + pidfile + ": " + e.getMessage());
        }
        say("stopped");
    }

    /** Starts nodes until {@link #wanted} serve or are starting. */
    private void fill() {
        synchronized (this) {
            if (stopping) {
                return;
            }
            long running = nodes.values().stream().filter(node -> !node.isRetiring()).count();
            for (long i = running; i < wanted; i++) {
                startNode();
            }
        }
    }

    /** Starts one node under the smallest free number; {@code null} when it could not be started. */
    private synchronized NodeProcess startNode() {
        int number = freeNumber();
        String title = baseTitle + "-" + number;
        Map<String, String> env = new HashMap<>(environment);
        env.put("HERALD_TITLE", title);
        NodeProcess node;
        try {
            node = NodeProcess.start(number, title, command, env, out);
        } catch (IOException e) {
            say("cannot start node " + title + ": " + e.getMessage() + "; trying again in " + Backoff.MAX_MILLIS + " ms");
            refill(Backoff.MAX_MILLIS);
            return null;
        }
        nodes.put(number, node);
        say("node " + node + " starting");
        node.ready().thenRun(() -> {
            backoff.started();
            say("node " + node + " serves");
        });
        node.exited().thenAccept(code -> later(() -> exited(node, code)));
        return node;
    }

    private int freeNumber() {
        for (int number = 1;; number++) {
            if (!nodes.containsKey(number) && !pidfileAlive(baseTitle + "-" + number)) {
                return number;
            }
        }
    }

    /** Whether the pidfile of a node titled {@code title} names a live process (the core's PidFile naming). */
    private boolean pidfileAlive(String title) {
        long pid = readPid(pidsDir.resolve("herald-" + title.replaceAll("[^A-Za-z0-9._-]", "-")));
        return pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private void exited(NodeProcess node, int code) {
        long delay;
        synchronized (this) {
            nodes.remove(node.number, node);
            if (stopping) {
                return; // stopAll says so
            }
            if (node.isRetiring()) {
                say("node " + node + " stopped (exit " + code + ")");
                return;
            }
            delay = backoff.next(node.isReady());
        }
        say("node " + node + " exited with " + code + (node.isReady() ? "" : " before it served") + "; "
                + (delay == 0 ? "replacing it now" : "starting a node again in " + delay + " ms"));
        refill(delay);
    }

    /** Runs {@code action} on the supervisor's thread; nothing once the cluster stops. */
    private void later(Runnable action) {
        try {
            scheduler.execute(action);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // the cluster is stopping
        }
    }

    /** Fills up to {@link #wanted} after {@code delayMillis}; nothing once the cluster stops. */
    private void refill(long delayMillis) {
        try {
            scheduler.schedule(this::fill, delayMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // the cluster is stopping: no node is started again
        }
    }

    void resize(int by) {
        NodeProcess newest = null;
        synchronized (this) {
            if (stopping) {
                return;
            }
            if (by < 0 && wanted == 1) {
                say("TTOU: one node is the fewest; the cluster keeps it (TERM stops the cluster)");
                return;
            }
            wanted += by;
            say((by > 0 ? "TTIN" : "TTOU") + ": " + wanted + " node" + (wanted == 1 ? "" : "s") + " wanted");
            if (by < 0) {
                newest = nodes.values().stream().filter(node -> !node.isRetiring())
                        .max(Comparator.comparingInt(node -> node.number)).orElse(null);
            }
        }
        if (newest != null) {
            newest.retire();
        } else {
            fill();
        }
    }

    /** USR2: a rolling restart on its own thread; a USR2 arriving meanwhile makes another one follow it. */
    void rollingRestart() {
        synchronized (this) {
            if (stopping) {
                return;
            }
            if (rolling) {
                rollAgain = true;
                say("USR2: a rolling restart is under way; another follows it");
                return;
            }
            rolling = true;
        }
        Thread thread = new Thread(this::roll, "herald-cluster-usr2");
        thread.setDaemon(true);
        thread.start();
    }

    private void roll() {
        boolean again;
        do {
            List<NodeProcess> old;
            synchronized (this) {
                rollAgain = false;
                old = new ArrayList<>(nodes.values().stream().filter(node -> !node.isRetiring())
                        .sorted(Comparator.comparingInt(node -> node.number)).toList());
            }
            long started = System.nanoTime();
            say("USR2: rolling restart of " + old.size() + " node" + (old.size() == 1 ? "" : "s"));
            String outcome = replaceAll(old);
            refill(0);
            long millis = (System.nanoTime() - started) / 1_000_000;
            say(outcome != null ? "rolling restart stopped after " + millis + " ms: " + outcome
                    : "rolling restart of " + old.size() + " node" + (old.size() == 1 ? "" : "s") + " done in " + millis + " ms");
            synchronized (this) {
                again = rollAgain && !stopping;
                rolling = again;
            }
        } while (again);
    }

    /** @return why the restart stopped early, or {@code null} when every node was replaced */
    private String replaceAll(List<NodeProcess> old) {
        List<NodeProcess> retiring = new ArrayList<>();
        for (NodeProcess previous : old) {
            NodeProcess next;
            synchronized (this) {
                if (stopping) {
                    return "the cluster is stopping";
                }
                if (!previous.isAlive() || previous.isRetiring()) {
                    continue; // replaced meanwhile (it died, or TTOU took it)
                }
                next = startNode();
            }
            if (next == null) {
                return "a node could not be started; " + previous + " keeps serving";
            }
            try {
                CompletableFuture.anyOf(next.ready(), next.exited()).get(READY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                next.retire();
                return next + " did not serve within " + READY_TIMEOUT_MILLIS + " ms; " + previous + " keeps serving";
            } catch (java.util.concurrent.ExecutionException e) {
                return "waiting for " + next + " failed: " + e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
            if (!next.isReady()) {
                return next + " exited before it served; " + previous + " and the other nodes keep serving";
            }
            // The old node stops while the next replacement starts: it only finishes what it has (its listener is
            // closed at once), and the two overlapping halves the restart's time on a small host.
            retiring.add(previous);
            previous.retire();
            // A node that died while the replacement was starting was not replaced then (the count was full).
            refill(0);
        }
        for (NodeProcess previous : retiring) {
            try {
                awaitStopped(previous);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }
        return null;
    }

    /** Waits for a retired node to exit (SIGKILL once it outlives its shutdown timeout) and forgets it. */
    private void awaitStopped(NodeProcess node) throws InterruptedException {
        if (node.awaitExit(stopTimeoutMillis + KILL_MARGIN_MILLIS)) {
            say("node " + node + " did not stop within " + (stopTimeoutMillis + KILL_MARGIN_MILLIS) + " ms: killed");
        }
        synchronized (this) {
            nodes.remove(node.number, node); // its number is free for the next node at once
        }
    }

    /** TERM, INT or the JVM's exit: every node stops gracefully at once; killed only if it outlives its timeout. */
    void stopAll(String reason) {
        List<NodeProcess> all;
        synchronized (this) {
            if (stopping) {
                if (!reason.equals("exit")) {
                    say(reason + " received, already stopping");
                }
                return;
            }
            stopping = true;
            all = new ArrayList<>(nodes.values());
        }
        if (!reason.equals("exit")) {
            say(reason + " received, stopping " + all.size() + " node" + (all.size() == 1 ? "" : "s"));
        }
        all.forEach(NodeProcess::retire);
        for (NodeProcess node : all) {
            try {
                if (node.awaitExit(stopTimeoutMillis + KILL_MARGIN_MILLIS)) {
                    say("node " + node + " did not stop within " + (stopTimeoutMillis + KILL_MARGIN_MILLIS) + " ms: killed");
                } else {
                    say("node " + node + " stopped (exit " + node.exitValue() + ")");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        scheduler.shutdownNow();
        stopped.countDown();
    }

    private void say(String line) {
        err.println("herald cluster: " + line);
    }

    private static long readPid(Path path) {
        try {
            return Long.parseLong(Files.readString(path, StandardCharsets.US_ASCII).strip());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }
}
