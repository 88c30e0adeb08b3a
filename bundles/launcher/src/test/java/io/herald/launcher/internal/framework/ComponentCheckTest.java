package io.herald.launcher.internal.framework;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.BindException;

import org.junit.jupiter.api.Test;

class ComponentCheckTest {

    /** SCR keeps an activation failure as a printed stack trace (AbstractComponentManager.setFailureReason). */
    private static String printed(Throwable error) {
        StringWriter text = new StringWriter();
        error.printStackTrace(new PrintWriter(text));
        return text.toString();
    }

    @Test
    void failure_text_is_the_components_message_and_the_root_cause() {
        Exception failure = new IllegalStateException("web server cannot start: port 8080 is in use",
                new java.io.IOException("Failed to bind to 0.0.0.0/0.0.0.0:8080", new BindException("Address already in use")));

        assertEquals("java.lang.IllegalStateException: web server cannot start: port 8080 is in use"
                + " (caused by java.net.BindException: Address already in use)",
                ComponentCheck.failureText(printed(failure)));
    }

    @Test
    void failure_without_cause_or_text() {
        assertEquals("java.lang.RuntimeException: boom", ComponentCheck.failureText(printed(new RuntimeException("boom"))));
        assertEquals("no reason recorded", ComponentCheck.failureText(null));
        assertEquals("no reason recorded", ComponentCheck.failureText("  "));
    }
}
