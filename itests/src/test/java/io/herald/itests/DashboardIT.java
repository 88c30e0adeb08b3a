package io.herald.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

/**
 * The queue dashboard ({@code herald-dashboard}) from the built distribution, in a real headless Chromium, on the
 * embedded default (no Redis): an {@code all} node whose workers take only queue {@code default}, with the fixture's
 * {@code recordJob} task ({@code enqueueRecord}) and recurring {@code recurringRecord}.
 */
class DashboardIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final Duration PAGE = Duration.ofSeconds(30);
    private static final String READER_SECRET = "dashboard-reader-secret-0123456789";

    @Test
    void the_page_shows_a_queued_a_failed_and_a_delayed_job_retries_the_failed_one_and_says_so_when_the_key_lacks_admin()
            throws Exception {
        Path home = HeraldProcess.newHome(NodeLifecycleIT.FIXTURE_JAR);
        // recurringRecord runs here (its component needs this PID), so the page has a recurring task to show
        Files.writeString(home.resolve("config/io.herald.itests.recurring.cfg"), "");
        // refreshes only after a change or on request: a click never meets a table being redrawn
        Path dashboardConfig = home.resolve("config/io.herald.dashboard.cfg");
        Files.writeString(dashboardConfig, Files.readString(dashboardConfig).replace("refreshSeconds = 5", "refreshSeconds = 0"));
        Map<String, String> env = Map.of("HERALD_TITLE", "dashboard-it", "HERALD_ROLE", "all", "ENABLE_DASHBOARD", "true",
                "TASK_QUEUES", "default", "HERALD_API_KEYS", HeraldProcess.ADMIN_KEY + ",viewer:" + READER_SECRET + ":reader");
        try (HeraldProcess herald = HeraldProcess.startIn(home, env); Chromium browser = Chromium.start()) {
            herald.awaitStarted(START);

            HttpResponse<String> page = herald.getAnonymous("/resque/");
            assertEquals(200, page.statusCode(), page.body());
            assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"));
            assertEquals(401, herald.getAnonymous("/api/resque:delayedjobs").statusCode());
            HttpResponse<String> reader = herald.send(HttpRequest.newBuilder(herald.uri("/api/resque:delayedjobs"))
                    .header("X-API-Key", READER_SECRET));
            assertEquals(403, reader.statusCode(), reader.body());
            assertEquals("this action requires the role admin", JSON.readTree(reader.body()).path("error").asText());

            // One job on a queue no worker here works, one that fails while records/hold exists, one delayed 10 minutes.
            Path hold = Files.createDirectories(home.resolve("records")).resolve("hold");
            Files.writeString(hold, "");
            enqueue(herald, "n=1&queue=parked");
            enqueue(herald, "n=2&failWhile=hold");
            enqueue(herald, "n=3&inMillis=600000");
            awaitFailed(herald, 1);

            browser.open(herald.uri("/resque/").toString());
            browser.waitFor("document.body.dataset.errorStatus === '401'", PAGE);
            assertTrue(text(browser, "#problem").startsWith("401 Unauthorized: this action requires authentication. "
                    + "Enter an API key with the admin role"), text(browser, "#problem"));

            browser.type("#api-key", HeraldProcess.ADMIN_SECRET);
            browser.click("#use-key");
            browser.waitFor("document.body.dataset.state === 'ready'", PAGE);
            assertEquals(true, browser.eval("document.getElementById('problem').hidden").asBoolean());

            String queued = "document.querySelector('[data-queue=\"parked\"] tr[data-job-class=\"recordJob\"]')";
            browser.waitFor(queued, PAGE);
            assertTrue(text(browser, "[data-queue=\"parked\"] h3").startsWith("parked (1 queued)"),
                    text(browser, "[data-queue=\"parked\"] h3"));
            assertTrue(text(browser, "[data-queue=\"parked\"] tr[data-job-class=\"recordJob\"]").contains("{\"n\":1}"),
                    "the job's args: " + text(browser, "[data-queue=\"parked\"] tr[data-job-class=\"recordJob\"]"));

            String failedRow = "#failed-list tr[data-failed=\"0\"]";
            assertTrue(text(browser, failedRow).contains("recordJob n=2 refused while records/hold exists"),
                    text(browser, failedRow));
            assertEquals("(1)", text(browser, "#failed-count"));

            assertTrue(text(browser, "#delayed-list tr[data-job-class=\"recordJob\"]").contains("{\"n\":3}"),
                    text(browser, "#delayed-list"));
            assertTrue(text(browser, "#recurring-list tr[data-recurring=\"recurringRecord\"]").contains("1 s"),
                    text(browser, "#recurring-list"));
            assertEquals("default", text(browser, "#worker-list tr[data-worker] td:nth-child(2)"), "the node's workers: "
                    + text(browser, "#worker-list"));

            // Retry: the job leaves the failed list, is queued again on default, and runs now that records/hold is gone.
            Files.delete(hold);
            browser.click("#failed-list button[data-retry=\"0\"]");
            browser.waitFor("document.getElementById('notice').textContent === 'Failed job 0 queued again.'", PAGE);
            browser.waitFor("document.querySelector('#failed-count').textContent === '(0)'"
                    + " && !document.querySelector('#failed-list tr[data-failed]')", PAGE);
            awaitRecord(home, "n=2 ");
            assertEquals(0, failedCount(herald));
            assertEquals(1, JSON.readTree(herald.get("/api/resque:queued?queue=parked").body()).path("length").asInt(),
                    "the parked job is still waiting");

            // A key without the admin role: the actions answer 403, and the page says so instead of showing stale data.
            browser.type("#api-key", READER_SECRET);
            browser.click("#use-key");
            browser.waitFor("document.body.dataset.errorStatus === '403'", PAGE);
            assertEquals("403 Forbidden: this action requires the role admin. These credentials lack the admin role the "
                    + "queue actions need.", text(browser, "#problem"));
        }
    }

    @Test
    void without_ENABLE_DASHBOARD_there_is_no_page_until_the_config_enables_it_and_a_bad_path_keeps_the_page_where_it_is()
            throws Exception {
        Path home = HeraldProcess.newHome();
        try (HeraldProcess herald = HeraldProcess.startIn(home, Map.of("HERALD_TITLE", "dashboard-off"))) {
            herald.awaitStarted(START);
            assertEquals(404, herald.getAnonymous("/resque/").statusCode(), "off by default");
            assertTrue(herald.output().contains("queue dashboard is off (enabled = false in io.herald.dashboard.cfg;"
                    + " ENABLE_DASHBOARD=true serves it)"), herald.output());

            Path config = home.resolve("config/io.herald.dashboard.cfg");
            String shipped = Files.readString(config);
            Files.writeString(config, shipped.replace("enabled = ${env:ENABLE_DASHBOARD:-false}", "enabled = true"));
            awaitAnonymous(herald, "/resque/", 200);

            Files.writeString(config, shipped.replace("enabled = ${env:ENABLE_DASHBOARD:-false}", "enabled = true")
                    .replace("path = ${env:HERALD_DASHBOARD_PATH:-/resque}", "path = queues/"));
            awaitOutput(herald, "io.herald.dashboard.cfg: path must be a URL path such as /resque");
            assertEquals(200, herald.getAnonymous("/resque/").statusCode(), "the page keeps its settings");

            Files.writeString(config, shipped);
            awaitAnonymous(herald, "/resque/", 404);
        }
    }

    private static void enqueue(HeraldProcess herald, String query) throws Exception {
        HttpResponse<String> enqueued = herald.get("/api/enqueueRecord?" + query);
        assertEquals(200, enqueued.statusCode(), enqueued.body());
        assertTrue(JSON.readTree(enqueued.body()).path("enqueued").asBoolean(), enqueued.body());
    }

    private static int failedCount(HeraldProcess herald) throws Exception {
        HttpResponse<String> count = herald.get("/api/resque:failedCount");
        assertEquals(200, count.statusCode(), count.body());
        return JSON.readTree(count.body()).path("failedCount").asInt();
    }

    private static void awaitFailed(HeraldProcess herald, int count) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (failedCount(herald) != count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still " + failedCount(herald) + " failed jobs, not " + count + ":\n"
                        + herald.output());
            }
            Thread.sleep(50);
        }
    }

    private static void awaitRecord(Path home, String part) throws Exception {
        Path log = home.resolve("records/recordJob.log");
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (!Files.exists(log) || Files.readAllLines(log).stream().noneMatch(line -> line.contains(part))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no record with " + part + " in " + (Files.exists(log) ? Files.readAllLines(log)
                        : List.of()));
            }
            Thread.sleep(50);
        }
    }

    private static void awaitAnonymous(HeraldProcess herald, String path, int status) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        int last;
        while ((last = herald.getAnonymous(path).statusCode()) != status) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(path + " still answers " + last + ", not " + status + ":\n" + herald.output());
            }
            Thread.sleep(50);
        }
    }

    private static void awaitOutput(HeraldProcess herald, String text) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (!herald.output().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the log never said " + text + ":\n" + herald.output());
            }
            Thread.sleep(50);
        }
    }

    private static String text(Chromium browser, String selector) throws Exception {
        JsonNode value = browser.eval("(document.querySelector(" + JSON.writeValueAsString(selector)
                + ") || {textContent: '(no ' + " + JSON.writeValueAsString(selector) + " + ')'}).textContent");
        return value.asText();
    }
}
