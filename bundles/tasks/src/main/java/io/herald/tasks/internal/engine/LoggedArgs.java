package io.herald.tasks.internal.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.herald.api.spi.Redactor;
import io.herald.api.task.Job;
import io.herald.core.properties.RankedServices;

/**
 * How a job's args appear in a log line: as the highest-ranked {@link Redactor} renders them (the param-filtering
 * bundle's: secret values {@code [FILTERED]}, long values cut), or, while none runs, as the names of their params
 * only, never a value (Actionhero logs task args through its {@code filteredParams} too). Only log lines use this: the
 * payloads stored in queues and the failed queue keep their args as they are, since a retry needs them.
 */
public final class LoggedArgs {

    private final RankedServices<Redactor> redactors = new RankedServices<>();

    public void add(Redactor redactor, int ranking, long order) {
        redactors.add(redactor, ranking, order);
    }

    public void remove(Redactor redactor) {
        redactors.remove(redactor);
    }

    /**
     * The job's args for a log line: {@code [{email=a@b.c, password=[FILTERED]}]} through the redactor, else
     * {@code [{email, password}]}: each object arg as its keys, any other arg as {@code ?}.
     */
    public String of(Job job) {
        return of(job.args());
    }

    String of(List<Object> args) {
        Redactor redactor = redactors.best();
        List<Object> shown = new ArrayList<>(args.size());
        for (Object arg : args) {
            shown.add(redactor == null ? names(arg) : redacted(redactor, arg));
        }
        return shown.toString();
    }

    /** {@code job of task T on Q (args=...)}, for a line about a job. */
    public String describe(Job job) {
        return "job of task " + job.taskName() + " on " + job.queue() + " (args=" + of(job) + ")";
    }

    private static Object names(Object arg) {
        if (arg instanceof Map<?, ?> map) {
            List<String> keys = new ArrayList<>(map.size());
            map.keySet().forEach(k -> keys.add(String.valueOf(k)));
            return "{" + String.join(", ", keys) + "}";
        }
        return arg == null ? null : "?";
    }

    @SuppressWarnings("unchecked")
    private static Object redacted(Redactor redactor, Object arg) {
        if (arg instanceof Map<?, ?> map) {
            return redactor.params((Map<String, ?>) map);
        }
        // a node-resque job may pass any JSON value as an arg: rendered as the value of a param named after its place
        return redactor.params(Map.of("arg", arg == null ? "null" : arg)).get("arg");
    }
}
