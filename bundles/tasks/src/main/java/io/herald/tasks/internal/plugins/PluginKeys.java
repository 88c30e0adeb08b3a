package io.herald.tasks.internal.plugins;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import io.herald.api.task.Job;
import io.herald.tasks.internal.wire.JsJson;
import io.herald.tasks.internal.wire.JsNumbers;

/**
 * The Redis keys of node-resque's plugins ({@code src/plugins/QueueLock.ts}, {@code JobLock.ts}, {@code Retry.ts}),
 * without the namespace, byte for byte as node-resque builds them with {@code Connection.key(...)}: the parts joined
 * with {@code :}, parts that are empty or whitespace dropped, the args part written by {@code JSON.stringify}. A
 * node-resque worker and a Herald worker sharing a queue therefore see each other's locks and retry counters.
 */
public final class PluginKeys {

    private PluginKeys() {
    }

    /** QueueLock: {@code lock:<class>:<queue>:<JSON(args)>}. */
    public static String queueLock(Job job) {
        return key("lock", job.taskName(), job.queue(), JsJson.stringify(job.args()));
    }

    /** JobLock: {@code workerslock:<class>:<queue>:<JSON(args)>}. */
    public static String jobLock(Job job) {
        return key("workerslock", job.taskName(), job.queue(), JsJson.stringify(job.args()));
    }

    /** Retry's attempt counter: {@code resque-retry:<class>:<argsKey>}, first whitespace removed (node-resque). */
    public static String retryCounter(Job job) {
        return removeFirstWhitespace(key("resque-retry", job.taskName(), argsKey(job.args())));
    }

    /**
     * Retry's last error: {@code failure-resque-retry:<class>:<argsKey>}, first whitespace removed. node-resque builds it
     * as <em>one</em> key part ({@code key("failure-resque-retry:" + func + ":" + argsKey)}), so unlike the counter it
     * keeps its trailing {@code :} when the args are empty.
     */
    public static String retryFailure(Job job) {
        return removeFirstWhitespace(key("failure-resque-retry:" + job.taskName() + ":" + argsKey(job.args())));
    }

    /**
     * node-resque's {@code Retry.argsKey()}: each arg that is an object (or null, whose {@code typeof} is "object") as
     * {@code JSON.stringify}, others as JavaScript's {@code String(value)}, joined with {@code -}; empty args give "".
     */
    static String argsKey(List<Object> args) {
        StringJoiner joined = new StringJoiner("-");
        for (Object arg : args) {
            if (arg == null || arg instanceof Map<?, ?> || arg instanceof List<?>) {
                joined.add(JsJson.stringify(arg));
            } else if (arg instanceof Number number) {
                joined.add(JsNumbers.isFinite(number) ? JsNumbers.toJsString(number) : "NaN");
            } else {
                joined.add(String.valueOf(arg));
            }
        }
        return joined.toString();
    }

    /** {@code Connection.key}: drops parts whose {@code String(part).trim()} is empty, joins the rest with ":". */
    static String key(String... parts) {
        List<String> kept = new ArrayList<>(parts.length);
        for (String part : parts) {
            if (part != null && !part.strip().isEmpty()) {
                kept.add(part);
            }
        }
        return String.join(":", kept);
    }

    /**
     * JavaScript's {@code key.replace(/\s/, "")}: only the <em>first</em> whitespace character goes (node-resque's
     * Retry does this to the whole key; Herald's namespace part holds none, so doing it here gives the same key).
     */
    static String removeFirstWhitespace(String key) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\uFEFF') {
                return key.substring(0, i) + key.substring(i + 1);
            }
        }
        return key;
    }
}
