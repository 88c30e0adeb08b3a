package io.herald.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The distribution on each supported JDK (issue 15): Java 25, recommended, and Java 17, still supported (the API and
 * every bundle are Java 17 bytecode). On each, a node started by {@code bin/herald} with {@code JAVA_HOME} pointing at
 * that JDK runs on it, serves an action from a bundle in {@code deploy/} and stops on TERM with status 0. The whole
 * suite runs on the JDK that runs Maven ({@code .ci/run} picks 25); this test is the smoke test of the other one.
 */
class SupportedJdksIT {

    @ParameterizedTest(name = "Java {0}")
    @ValueSource(ints = { 25, 17 })
    void a_node_runs_on_the_jdk_serves_an_action_from_deploy_and_stops(int major) throws Exception {
        Path jdk = Jdks.home(major);
        try (HeraldProcess herald = HeraldProcess.startIn(HeraldProcess.newHome(HeraldProcess.EXAMPLE_JAR),
                Map.of("JAVA_HOME", jdk.toString(), "HERALD_TITLE", "java-" + major))) {
            herald.awaitStarted(Duration.ofSeconds(90));
            HttpResponse<String> echo = herald.awaitStatus("/api/echo?message=hello", 200, Duration.ofSeconds(30));
            assertTrue(echo.body().contains("\"message\":\"hello\""), echo.body());

            // bin/herald execs the JVM: the process is the JVM itself, and it is that JDK's.
            Path runs = Files.readSymbolicLink(Path.of("/proc/" + herald.pid() + "/exe"));
            assertEquals(jdk.resolve("bin/java").toRealPath(), runs.toRealPath(), herald.output());

            herald.signal("TERM");
            assertEquals(0, herald.awaitExit(Duration.ofSeconds(60)), herald.output());
        }
    }
}
