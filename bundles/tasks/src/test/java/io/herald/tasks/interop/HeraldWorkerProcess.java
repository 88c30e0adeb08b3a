package io.herald.tasks.interop;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.herald.tasks.internal.wire.JsJson;
import io.herald.tasks.internal.worker.WorkerPool;

/**
 * A Herald worker in a JVM of its own, so that a test can SIGKILL it as a crash would: nothing unregisters the worker,
 * its ping key just stops being renewed. {@link #start} launches it with the test's class path; the child prints
 * {@code {"event":"started","workers":[..]}} on stdout once its workers are registered, then works until killed.
 */
final class HeraldWorkerProcess {

    private HeraldWorkerProcess() {
    }

    /** Launches a child JVM running {@code workers} Herald workers on {@code queues} against Redis at host:port. */
    static NodeProcess start(String host, int port, int workers, String queues) {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx128m", "-XX:TieredStopAtLevel=1",
                "-cp", classPath, HeraldWorkerProcess.class.getName(), host, String.valueOf(port),
                String.valueOf(workers), queues));
        return NodeProcess.start(new ProcessBuilder(command), null);
    }

    public static void main(String[] args) throws InterruptedException {
        HeraldNode node = HeraldNode.against(args[0], Integer.parseInt(args[1]));
        WorkerPool pool = node.startWorkers(Integer.parseInt(args[2]), args[3].split(","));
        System.out.println(JsJson.stringify(java.util.Map.of("event", "started", "workers", pool.workerNames())));
        System.out.flush();
        // works until the test kills it; a plain exit (SIGTERM) stops it gracefully, as the bundle does
        Runtime.getRuntime().addShutdownHook(new Thread(node::close));
        Thread.currentThread().join();
    }
}
