package io.herald.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.service.log.FormatterLogger;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

class Slf4jLogServiceTest {

    private static final String NAME = "test.osgi.logger";

    private final ListAppender<ILoggingEvent> events = new ListAppender<>();
    private ch.qos.logback.classic.Logger target;
    private LoggerFactory factory;

    @BeforeEach
    void capture() {
        target = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(NAME);
        target.setLevel(Level.DEBUG);
        events.start();
        target.addAppender(events);
        factory = new Slf4jLogService("test.bundle");
        Slf4jLogService.quietStackTraces(false);
    }

    @AfterEach
    void release() {
        target.detachAppender(events);
        Slf4jLogService.quietStackTraces(false);
    }

    private List<String> lines() {
        return events.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()
                + (e.getThrowableProxy() == null ? "" : " !" + e.getThrowableProxy().getMessage())).toList();
    }

    @Test
    void osgi_logger_calls_reach_slf4j_with_their_level_arguments_and_exception() {
        Logger logger = factory.getLogger(NAME);

        logger.info("started {} in {} ms", "web", 12);
        logger.warn("plain");
        logger.error("failed {}", "x", new IllegalStateException("boom"));
        factory.getLogger(NAME, FormatterLogger.class).warn("%d%%", 50, new IllegalArgumentException("why"));
        logger.debug("{} {} {}", 1, 2, 3);
        logger.trace("not enabled");
        logger.audit("audited");

        assertEquals(List.of("INFO started web in 12 ms", "WARN plain", "ERROR failed x !boom", "WARN 50% !why", "DEBUG 1 2 3",
                "INFO audited"), lines());
        assertEquals(NAME, logger.getName());
        assertTrue(logger.isDebugEnabled());
    }

    @Test
    void while_the_launcher_starts_a_role_stack_traces_go_to_debug_and_the_line_keeps_the_exception_text() {
        Slf4jLogService.quietStackTraces(true);
        Logger logger = factory.getLogger(NAME);

        logger.error("activation of {} failed", "web", new IllegalStateException("port 8080 is in use"));
        ((org.osgi.service.log.LogService) factory).log(org.osgi.service.log.LogService.LOG_ERROR, "plain API",
                new IllegalArgumentException("bad"));

        assertEquals(List.of("DEBUG activation of web failed !port 8080 is in use",
                "ERROR activation of web failed: java.lang.IllegalStateException: port 8080 is in use"), lines());
    }

    @Test
    void formatter_logger_uses_printf_and_consumers_run_when_enabled() throws Exception {
        FormatterLogger logger = factory.getLogger(NAME, FormatterLogger.class);

        logger.info("%s took %d ms {}", "start", 7);
        logger.debug(l -> l.debug("from consumer"));
        logger.trace(l -> l.error("never"));

        assertEquals(List.of("INFO start took 7 ms {}", "DEBUG from consumer"), lines());
    }

    @Test
    void the_bundle_root_logger_and_log_service_calls_use_the_bundle_name() {
        Bundle bundle = (Bundle) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, method, args) -> method.getName().equals("getSymbolicName") ? NAME : null);

        Logger root = factory.getLogger(bundle, Logger.ROOT_LOGGER_NAME, Logger.class);
        root.info("from root");

        assertEquals(NAME, root.getName());
        assertEquals(List.of("INFO from root"), lines());
    }
}
