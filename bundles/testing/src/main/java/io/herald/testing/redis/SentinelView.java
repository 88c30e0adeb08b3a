package io.herald.testing.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What one sentinel says about a monitored master, read with {@code SENTINEL} commands (RESP2 replies). */
final class SentinelView {

    private final RedisNode sentinel;
    private final String masterName;

    public SentinelView(RedisNode sentinel, String masterName) {
        this.sentinel = sentinel;
        this.masterName = masterName;
    }

    /** {@code SENTINEL GET-MASTER-ADDR-BY-NAME}: the leader this sentinel names, or null when it knows none. */
    public RedisAddress leader() {
        try (RespClient client = sentinel.client()) {
            List<Object> reply = client.callList("SENTINEL", "GET-MASTER-ADDR-BY-NAME", masterName);
            if (reply.size() < 2) {
                return null;
            }
            return new RedisAddress(String.valueOf(reply.get(0)), Integer.parseInt(String.valueOf(reply.get(1))));
        }
    }

    /** {@code SENTINEL MASTER}: flags, num-other-sentinels, num-slaves, ... */
    public Map<String, String> master() {
        try (RespClient client = sentinel.client()) {
            return client.callMap("SENTINEL", "MASTER", masterName);
        }
    }

    /** {@code SENTINEL REPLICAS}: one map per replica (ip, port, flags, master-link-status, master-port, ...). */
    public List<Map<String, String>> replicas() {
        try (RespClient client = sentinel.client()) {
            List<Map<String, String>> replicas = new ArrayList<>();
            for (Object entry : client.callList("SENTINEL", "REPLICAS", masterName)) {
                if (entry instanceof List<?> fields) {
                    replicas.add(RespClient.pairs(new ArrayList<>(fields)));
                }
            }
            return replicas;
        }
    }

    /**
     * Whether this sentinel sees {@code leader} as a healthy master watched by {@code otherSentinels} more
     * sentinels, with each of {@code replicaPorts} as a replica of it that is neither down nor disconnected: the
     * state from which it can fail over. Whether the replicas really replicate is for the caller to ask them.
     */
    public boolean isHealthy(RedisAddress leader, int otherSentinels, List<Integer> replicaPorts) {
        Map<String, String> master = master();
        if (!"master".equals(master.get("flags"))
                || !String.valueOf(leader.port()).equals(master.get("port"))
                || !String.valueOf(otherSentinels).equals(master.get("num-other-sentinels"))) {
            return false;
        }
        List<Map<String, String>> replicas = replicas();
        for (int port : replicaPorts) {
            // only the flags: a sentinel refreshes a replica's INFO (link status, master port) every 10 s, and
            // picks a replica to promote by its flags and a recent enough INFO, not by those fields
            boolean healthy = replicas.stream().anyMatch(replica -> String.valueOf(port).equals(replica.get("port"))
                    && "slave".equals(replica.get("flags")));
            if (!healthy) {
                return false;
            }
        }
        return true;
    }

    /** One line for timeout messages. */
    public String describe() {
        try {
            Map<String, String> master = master();
            StringBuilder line = new StringBuilder(sentinel.name()).append(" names ").append(leader())
                    .append(" flags=").append(master.get("flags"))
                    .append(" other-sentinels=").append(master.get("num-other-sentinels")).append(" replicas=[");
            for (Map<String, String> replica : replicas()) {
                line.append(' ').append(replica.get("port")).append(':').append(replica.get("flags")).append('/')
                        .append(replica.get("master-link-status"));
            }
            return line.append(" ]").toString();
        } catch (RuntimeException e) {
            return sentinel.name() + " unreachable (" + e.getMessage() + ")";
        }
    }
}
