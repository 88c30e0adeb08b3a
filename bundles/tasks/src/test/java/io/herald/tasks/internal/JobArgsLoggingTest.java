package io.herald.tasks.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.herald.api.Input;
import io.herald.api.Inputs;
import io.herald.api.spi.Redactor;
import io.herald.api.task.FailedJob;
import io.herald.api.task.Task;
import io.herald.api.task.TaskContext;
import io.herald.tasks.internal.engine.JobRunner;
import io.herald.tasks.internal.engine.LoggedArgs;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * Job args in the task processor's log lines: through the highest-ranked redactor when one runs, as param names
 * otherwise; never in the stored failed job, which keeps them as they were for a retry.
 */
class JobArgsLoggingTest {

    /** A redactor as the param-filtering bundle's would behave for the key {@code password}. */
    private static final class PasswordRedactor implements Redactor {
        private final String shown;

        PasswordRedactor(String shown) {
            this.shown = shown;
        }

        @Override
        public Map<String, Object> params(Map<String, ?> params) {
            Map<String, Object> copy = new LinkedHashMap<>(params);
            copy.replaceAll((k, v) -> k.equalsIgnoreCase("password") ? shown : v);
            return copy;
        }

        @Override
        public Map<String, Object> response(Map<String, ?> response) {
            return new LinkedHashMap<>(response);
        }
    }

    /** Fails with a message of its own that names no param value. */
    private static final class SignUp implements Task {
        @Override
        public Inputs inputs() {
            return Inputs.of(Input.required("user"), Input.required("password"));
        }

        @Override
        public Object run(TaskContext context) {
            throw new IllegalStateException("mail server down");
        }
    }

    private final Harness harness = new Harness();
    private final Logger log = (Logger) LoggerFactory.getLogger(JobRunner.class);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @BeforeEach
    void setUp() {
        harness.processor().registry().addTask(new SignUp(), TestTasks.props("signUp").build(), TestTasks.nextOrder());
        log.setLevel(Level.DEBUG);
        lines.start();
        log.addAppender(lines);
    }

    @AfterEach
    void detach() {
        log.detachAppender(lines);
    }

    private String failedJobLine() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("user", "ada");
        params.put("password", "hunter2");
        harness.processor().queue().enqueue("signUp", params);
        assertEquals(JobRunner.Outcome.FAILED, harness.work("default"));
        List<String> warnings = lines.list.stream().filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals(1, warnings.size(), warnings.toString());
        return warnings.get(0);
    }

    @Test
    void a_failed_job_line_shows_the_args_as_the_redactor_renders_them_and_the_failed_queue_keeps_them() {
        harness.processor().queue().loggedArgs().add(new PasswordRedactor(Redactor.FILTERED), 0, 1);
        String line = failedJobLine();
        assertTrue(line.startsWith("job of task signUp on default failed: java.lang.IllegalStateException: mail server down"),
                line);
        assertTrue(line.contains("password=[FILTERED]"), line);
        assertTrue(line.contains("user=ada"), line);
        assertFalse(line.contains("hunter2"), line);

        List<FailedJob> failed = harness.processor().queue().failed(0, -1);
        assertEquals(1, failed.size());
        assertEquals("hunter2", failed.get(0).payload().params().get("password"));
        assertTrue(failed.get(0).raw().contains("\"password\":\"hunter2\""), failed.get(0).raw());
    }

    @Test
    void without_a_redactor_the_line_names_the_params_without_their_values() {
        String line = failedJobLine();
        assertTrue(line.endsWith("(args=[{user, password}])"), line);
        assertFalse(line.contains("hunter2"), line);
        assertFalse(line.contains("ada"), line);
        assertEquals("hunter2", harness.processor().queue().failed(0, -1).get(0).payload().params().get("password"));
    }

    @Test
    void the_highest_ranked_redactor_renders_and_the_next_takes_over_when_it_leaves() {
        LoggedArgs args = harness.processor().queue().loggedArgs();
        Redactor low = new PasswordRedactor("low");
        Redactor high = new PasswordRedactor("high");
        args.add(low, 0, 1);
        args.add(high, 10, 2);
        io.herald.api.task.Job job = new io.herald.api.task.Job("signUp", "default",
                List.of(Map.of("password", "hunter2")));
        assertEquals("[{password=high}]", args.of(job));
        args.remove(high);
        assertEquals("[{password=low}]", args.of(job));
        args.remove(low);
        assertEquals("[{password}]", args.of(job));
    }

    @Test
    void a_job_with_args_that_are_not_objects_shows_no_values_without_a_redactor() {
        io.herald.api.task.Job job = new io.herald.api.task.Job("legacy", "default", List.of("secret-token", 42));
        assertEquals("[?, ?]", harness.processor().queue().loggedArgs().of(job));
    }

    @Test
    void a_job_whose_first_arg_is_not_an_object_fails_naming_the_type_not_the_value() {
        harness.store().enqueue("default", "{\"class\":\"signUp\",\"queue\":\"default\",\"args\":[\"hunter2\"]}");
        assertEquals(JobRunner.Outcome.FAILED, harness.work("default"));
        FailedJob failed = harness.processor().queue().failed(0, -1).get(0);
        assertEquals("task signUp takes its params as an object in args[0], got a string", failed.error());
        assertTrue(lines.list.stream().noneMatch(e -> e.getFormattedMessage().contains("hunter2")));
    }

    @Test
    void an_unreadable_payload_is_not_quoted_in_the_log() {
        harness.store().enqueue("default", "{\"class\":\"signUp\",\"args\":{\"password\":\"hunter2\"}}");
        assertEquals(JobRunner.Outcome.FAILED, harness.work("default"));
        assertTrue(lines.list.stream().noneMatch(e -> e.getFormattedMessage().contains("hunter2")), lines.list.toString());
        assertTrue(harness.processor().queue().failed(0, -1).get(0).raw().contains("hunter2"));
    }
}
