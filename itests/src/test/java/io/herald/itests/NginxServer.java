package io.herald.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The system's nginx as a real process of the test user, in front of Herald with the configuration the distribution
 * ships ({@code nginx/herald.conf}): nothing of the system's nginx setup is used (no {@code /etc/nginx}, no service),
 * only its binary. Everything nginx writes (pid, logs, temporary files) goes under {@code prefix}.
 *
 * <p>The shipped file holds the {@code upstream} and {@code server} blocks that go inside {@code http { }}, as in
 * {@code /etc/nginx/conf.d/}; this class renders its three documented values (socket, listen, server_name) and wraps
 * it in the smallest main file that includes it.
 */
final class NginxServer implements AutoCloseable {

    /** The distribution's nginx configuration. */
    static final Path SHIPPED_CONF = HeraldProcess.DISTRIBUTION.resolve("nginx/herald.conf");

    /** The values the shipped file documents as the ones to edit, as it ships them. */
    static final String SHIPPED_SOCKET = "server unix:/srv/herald/herald.sock;";
    static final String SHIPPED_LISTEN = "listen 80;";
    static final String SHIPPED_SERVER_NAME = "server_name api.example.com;";

    final int port;
    final Path prefix;
    private final Process process;
    private final Path output;

    private NginxServer(int port, Path prefix, Process process, Path output) {
        this.port = port;
        this.prefix = prefix;
        this.process = process;
        this.output = output;
    }

    /** The nginx binary: Debian's {@code /usr/sbin/nginx}, else one on the PATH; a test fails without one. */
    static Path binary() {
        List<Path> candidates = new ArrayList<>(List.of(Path.of("/usr/sbin/nginx")));
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(":")) {
                if (!dir.isEmpty()) {
                    candidates.add(Path.of(dir, "nginx"));
                }
            }
        }
        return candidates.stream().filter(Files::isExecutable).findFirst().orElseThrow(() -> new AssertionError(
                "nginx is missing (no /usr/sbin/nginx, none on the PATH): this test runs the real one; .ci/run installs"
                        + " it (apt-get install nginx)"));
    }

    /**
     * The shipped file with its documented values replaced: the upstream is {@code socket}, nginx listens on
     * {@code 127.0.0.1:port} as {@code localhost}. Each value must be in the file exactly once, so a change to the
     * shipped file that this test would no longer render fails here rather than testing something else.
     */
    static String render(String shipped, Path socket, int port) {
        String rendered = shipped;
        for (Map.Entry<String, String> value : Map.of(
                SHIPPED_SOCKET, "server unix:" + socket + ";",
                SHIPPED_LISTEN, "listen 127.0.0.1:" + port + ";",
                SHIPPED_SERVER_NAME, "server_name localhost;").entrySet()) {
            int first = rendered.indexOf(value.getKey());
            if (first < 0 || rendered.indexOf(value.getKey(), first + 1) >= 0) {
                throw new AssertionError(SHIPPED_CONF + " should hold \"" + value.getKey() + "\" exactly once (the"
                        + " documented value to edit), but holds it " + (first < 0 ? "nowhere" : "more than once"));
            }
            rendered = rendered.replace(value.getKey(), value.getValue());
        }
        return rendered;
    }

    /**
     * Starts nginx in the foreground on a free loopback port, proxying to Herald's unix {@code socket}, and waits until
     * it listens. The main file sets what a system's nginx.conf would: where temporary files and logs go (under
     * {@code prefix}, since the compiled-in {@code /var/lib/nginx} and {@code /var/log/nginx} are not the test's), and,
     * when the test runs as root, workers as root too (else nginx switches them to {@code nobody}, who may not enter
     * the test's private temporary directories that hold the socket).
     */
    static NginxServer start(Path prefix, Path socket) throws Exception {
        Path nginx = binary();
        Files.createDirectories(prefix.resolve("logs"));
        Files.createDirectories(prefix.resolve("temp"));
        int port = HeraldProcess.freePort();
        Path site = prefix.resolve("herald.conf");
        Files.writeString(site, render(Files.readString(SHIPPED_CONF), socket, port));
        String temp = prefix.resolve("temp").toString();
        String main = ("root".equals(System.getProperty("user.name")) ? "user root root;\n" : "")
                + "worker_processes 1;\n"
                + "events { worker_connections 256; }\n"
                + "http {\n"
                + "    access_log " + prefix.resolve("logs/access.log") + ";\n"
                + "    client_body_temp_path " + temp + "/body;\n"
                + "    proxy_temp_path " + temp + "/proxy;\n"
                + "    fastcgi_temp_path " + temp + "/fastcgi;\n"
                + "    uwsgi_temp_path " + temp + "/uwsgi;\n"
                + "    scgi_temp_path " + temp + "/scgi;\n"
                + "    include " + site + ";\n"
                + "}\n";
        Path conf = prefix.resolve("nginx.conf");
        Files.writeString(conf, main);
        Path output = prefix.resolve("logs/output.log");
        Process process = new ProcessBuilder(nginx.toString(), "-p", prefix.toString(), "-c", conf.toString(),
                "-e", prefix.resolve("logs/error.log").toString(),
                "-g", "daemon off; pid " + prefix.resolve("nginx.pid") + ";")
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        NginxServer server = new NginxServer(port, prefix, process, output);
        try {
            server.awaitListening(Duration.ofSeconds(20));
        } catch (Throwable e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void awaitListening(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new AssertionError("nginx exited with " + process.exitValue() + ":\n" + logs());
            }
            try (java.net.Socket probe = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("nginx does not listen on " + port + " after " + timeout + ":\n" + logs());
                }
                Thread.sleep(50);
            }
        }
    }

    /** nginx's own output and its error log, for failure messages. */
    String logs() {
        StringBuilder logs = new StringBuilder();
        for (Path file : List.of(output, prefix.resolve("logs/error.log"))) {
            try {
                logs.append(file.getFileName()).append(":\n").append(Files.readString(file)).append('\n');
            } catch (IOException e) {
                logs.append(file.getFileName()).append(": (").append(e.getMessage()).append(")\n");
            }
        }
        return logs.toString();
    }

    /**
     * Stops the master this test started (SIGTERM: nginx's fast stop, which also closes open WebSocket tunnels, where a
     * graceful SIGQUIT would wait for them), then its workers if any outlived it: only processes descending from the
     * one started here.
     */
    @Override
    public void close() throws Exception {
        List<ProcessHandle> workers = process.descendants().toList();
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
        for (ProcessHandle worker : workers) {
            if (worker.isAlive()) {
                worker.destroyForcibly();
            }
        }
    }
}
