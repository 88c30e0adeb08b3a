package io.herald.launcher.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Whether the staged configuration names a Redis for one connection: what {@code task enqueue} refuses to run without. */
final class RedisSwitch {

    static final String CONNECTION_PID = "io.herald.redis.connection";
    private static final List<String> ADDRESS_KEYS = List.of("host", "sentinels", "clusterNodes");

    private RedisSwitch() {
    }

    /**
     * @param connection a connection's name (its {@code name} key, else the {@code <name>} of
     *                   {@code io.herald.redis.connection-<name>}), or null for any connection
     * @return the first such connection that names a Redis, as {@code "io.herald.redis.connection-tasks (host)"}, or
     *     null
     */
    static String configuredBy(Map<String, Map<String, String>> staged, String connection) {
        for (Map.Entry<String, Map<String, String>> entry : staged.entrySet()) {
            String pid = entry.getKey();
            if (!isConnection(pid)) {
                continue;
            }
            Map<String, String> values = entry.getValue();
            if (connection != null && !connection.equals(connectionName(pid, values))) {
                continue;
            }
            for (String key : ADDRESS_KEYS) {
                if (!values.getOrDefault(key, "").isBlank()) {
                    return pid + " (" + key + ")";
                }
            }
            String mode = values.getOrDefault("mode", "").strip().toLowerCase(Locale.ROOT);
            if (!mode.isEmpty() && !mode.equals("auto")) {
                return pid + " (mode " + mode + ")";
            }
        }
        return null;
    }

    /** Whether {@code pid} is a configuration of {@value #CONNECTION_PID} (a factory one: {@code <pid>-<name>}). */
    static boolean isConnection(String pid) {
        return pid.equals(CONNECTION_PID) || pid.startsWith(CONNECTION_PID + "-");
    }

    /** As the Redis bundle names a connection: its {@code name} key, else the file's {@code <name>}. */
    static String connectionName(String pid, Map<String, String> values) {
        String name = values.getOrDefault("name", "").strip();
        if (!name.isEmpty()) {
            return name;
        }
        return pid.length() > CONNECTION_PID.length() ? pid.substring(CONNECTION_PID.length() + 1) : "";
    }
}
