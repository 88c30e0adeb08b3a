package io.herald.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every bad value of every boolean and number environment variable of the README's table stops the start with exit 1
 * and one line on stderr naming the variable, the value and what is accepted: never a node that silently took
 * {@code ENABLE_WEB_SERVER=1} for false, never a stack trace. Each case is a real {@code bin/herald start}.
 */
class ConfigValuesIT {

    private static Path home;

    @BeforeAll
    static void distribution() throws IOException {
        home = HeraldProcess.newHome();
    }

    @AfterAll
    static void remove() throws IOException {
        HeraldProcess.deleteTree(home);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "ENABLE_WEB_SERVER|maybe|ENABLE_WEB_SERVER=maybe (io.herald.server.web enabled) is not a boolean: use true, false, yes, no, 1 or 0",
        "ENABLE_WEB_SERVER|on|ENABLE_WEB_SERVER=on (io.herald.server.web enabled) is not a boolean",
        "SCHEDULER|perhaps|SCHEDULER=perhaps (io.herald.tasks scheduler)",
        "HERALD_CDS|sure|HERALD_CDS=sure is not a boolean: use true, false, yes, no, 1 or 0",
        "PORT|abc|PORT=abc (io.herald.server.web port)",
        "PORT|70000|PORT=70000 (io.herald.server.web port)",
        "PORT|-1|PORT=-1 (io.herald.server.web port)",
        "HERALD_HTTP2|maybe|HERALD_HTTP2=maybe (io.herald.server.web http2) is not a boolean",
        "HERALD_HSTS|sometimes|HERALD_HSTS=sometimes (io.herald.server.web hsts)",
        "HERALD_HSTS_MAX_AGE|-5|HERALD_HSTS_MAX_AGE=-5 (io.herald.server.web hstsMaxAge)",
        "HERALD_TLS_CERT|/nonexistent/cert.pem|(io.herald.server.web tlsPrivateKey): is empty while tlsCertificate is set",
        "HERALD_TLS_KEYSTORE|/nonexistent/store.p12|HERALD_TLS_KEYSTORE=/nonexistent/store.p12 (io.herald.server.web tlsKeyStore): /nonexistent/store.p12 does not exist",
        "HERALD_SHUTDOWN_TIMEOUT|soon|HERALD_SHUTDOWN_TIMEOUT=soon is not a positive whole number of milliseconds",
        "HERALD_SHUTDOWN_TIMEOUT|0|HERALD_SHUTDOWN_TIMEOUT=0 is not a positive whole number of milliseconds",
        "REDIS_PORT|x|REDIS_PORT=x (io.herald.redis.connection-",
        "REDIS_DB|first|REDIS_DB=first (io.herald.redis.connection-",
        "MIN_TASK_PROCESSORS|two|MIN_TASK_PROCESSORS=two (io.herald.tasks minTaskProcessors)",
        "MAX_TASK_PROCESSORS|-4|MAX_TASK_PROCESSORS=-4 (io.herald.tasks maxTaskProcessors)",
        "STUCK_WORKER_TIMEOUT|1h|STUCK_WORKER_TIMEOUT=1h (io.herald.tasks stuckWorkerTimeout) is not a whole number",
        "TASK_WAIT_REPLICAS|one|TASK_WAIT_REPLICAS=one (io.herald.tasks waitReplicas) is not a whole number",
        "ENABLE_METRICS|maybe|ENABLE_METRICS=maybe (io.herald.metrics enabled) is not a boolean",
        "HERALD_METRICS_REQUIRE_AUTHENTICATION|sometimes|HERALD_METRICS_REQUIRE_AUTHENTICATION=sometimes (io.herald.metrics requireAuthentication) is not a boolean",
        "METRICS_PORT|90x|METRICS_PORT=90x (io.herald.metrics port): port must be empty or a TCP port 0-65535, was \"90x\"",
        "METRICS_PORT|70000|METRICS_PORT=70000 (io.herald.metrics port)",
        "LOG_LEVEL|LOUD|LOG_LEVEL=LOUD is not a log level: use TRACE, DEBUG, INFO, WARN, ERROR, OFF",
        "ENABLE_DASHBOARD|maybe|ENABLE_DASHBOARD=maybe (io.herald.dashboard enabled) is not a boolean",
        "HERALD_DASHBOARD_PATH|resque|HERALD_DASHBOARD_PATH=resque (io.herald.dashboard path): path must be a URL path such as /resque",
    })
    void a_bad_value_exits_1_with_one_line_naming_it(String variable, String value, String expected) throws Exception {
        Result result = run(Map.of(variable, value, "HERALD_TITLE", "config-" + variable.toLowerCase()));

        assertEquals(1, result.exit(), result.toString());
        List<String> lines = result.stderr().lines().toList();
        assertEquals(1, lines.size(), "one line on stderr: " + result);
        assertTrue(lines.get(0).startsWith("herald: ") && lines.get(0).contains(expected), result.toString());
        assertTrue(!result.stdout().contains("\tat ") && !result.stderr().contains("\tat "), "no stack trace: " + result);
    }

    private record Result(int exit, String stdout, String stderr) {
    }

    private static Result run(Map<String, String> env) throws Exception {
        Path out = Files.createTempFile("herald-out-", ".log");
        Path err = Files.createTempFile("herald-err-", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(HeraldProcess.HERALD.toString(), "start")
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            Map<String, String> environment = new java.util.HashMap<>(env);
            environment.putIfAbsent("PORT", Integer.toString(HeraldProcess.freePort()));
            builder.environment().clear();
            builder.environment().putAll(HeraldProcess.environment(home, environment));
            Process process = builder.start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("still running after 60 s:\n" + Files.readString(out) + Files.readString(err));
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
