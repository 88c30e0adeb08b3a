package io.herald.tasks.internal.cli;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.herald.core.json.HeraldJson;

/**
 * What {@code herald task enqueue} enqueues: Actionhero's {@code actionhero task enqueue --name --args}, plus where and
 * when.
 *
 * @param name          the task
 * @param params        {@code --args}, a JSON object, in its key order (a job's bytes, and so node-resque's {@code del}
 *                      and lock keys, depend on it)
 * @param queue         {@code --queue}, or null for the task's own queue
 * @param at            when the job is due ({@code --in} milliseconds from now, or {@code --at}: the scheduler moves it
 *                      to its queue then), or null to enqueue it now
 */
record EnqueueRequest(String name, Map<String, Object> params, String queue, Instant at) {

    /**
     * Reads {@code --args} as JavaScript's {@code JSON.parse} does where it matters for a job: strict JSON, nothing after
     * the value, a repeated key keeps its last value; whole numbers are {@link Long}.
     */
    private static final ObjectMapper JSON = HeraldJson.builder().enable(DeserializationFeature.USE_LONG_FOR_INTS).build();

    private static final List<String> OPTIONS = List.of("--name", "--args", "--queue", "--in", "--at");

    /**
     * @param args the command line after {@code task enqueue}: {@code --option value} or {@code --option=value}; a value
     *             may start with {@code -} (a negative number, JSON text)
     * @throws IllegalArgumentException naming the option, for the one line the command prints
     */
    static EnqueueRequest parse(List<String> args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            int equals = arg.indexOf('=');
            String option = arg.startsWith("--") && equals > 0 ? arg.substring(0, equals) : arg;
            if (!OPTIONS.contains(option)) {
                throw new IllegalArgumentException(arg.startsWith("-") ? "unknown option " + arg + " (see: herald help)"
                        : "unexpected argument " + arg + " (see: herald help)");
            }
            if (option.length() < arg.length()) {
                options.put(option, arg.substring(equals + 1));
            } else if (i + 1 < args.size()) {
                options.put(option, args.get(++i));
            } else {
                throw new IllegalArgumentException(option + " needs a value");
            }
        }
        String name = options.get("--name");
        if (name == null) {
            throw new IllegalArgumentException("needs --name <task> (see: herald help)");
        }
        if (name.isBlank()) {
            throw new IllegalArgumentException("--name needs a task name");
        }
        String queue = options.get("--queue");
        if (queue != null && queue.isBlank()) {
            throw new IllegalArgumentException("--queue needs a queue name");
        }
        Long in = options.containsKey("--in") ? millis("--in", options.get("--in"), true) : null;
        Long at = options.containsKey("--at") ? millis("--at", options.get("--at"), false) : null;
        if (in != null && at != null) {
            throw new IllegalArgumentException("--in and --at exclude each other: give a delay or a time, not both");
        }
        return new EnqueueRequest(name.strip(), params(options.getOrDefault("--args", "{}")),
                queue == null ? null : queue.strip(),
                in != null ? Instant.now().plusMillis(in) : at != null ? Instant.ofEpochMilli(at) : null);
    }

    private static Map<String, Object> params(String text) {
        Object parsed;
        try {
            parsed = JSON.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("--args is not valid JSON: " + HeraldJson.describe(e), e);
        }
        if (!(parsed instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("--args must be a JSON object (the task's params), like"
                    + " '{\"email\":\"a@b.c\"}'");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> params = (Map<String, Object>) parsed;
        return params;
    }

    private static long millis(String option, String text, boolean delay) {
        try {
            long value = Long.parseLong(text.strip());
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " '" + text + "' is not " + (delay
                ? "a delay in milliseconds (a whole number >= 0)"
                : "a time in milliseconds since 1970-01-01T00:00:00Z (a whole number >= 0)"));
    }
}
