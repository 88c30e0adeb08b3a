package io.herald.testing.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One line of {@code CLUSTER NODES}: {@code <id> <ip:port@cport[,hostname]> <flags> <master-id|-> <ping-sent>
 * <pong-recv> <config-epoch> <link-state> <slot ranges...>}.
 *
 * @param id the node id
 * @param address where the node listens for clients
 * @param flags {@code myself}, {@code master}, {@code slave}, {@code fail?}, {@code fail}, {@code handshake}, ...
 * @param masterId the id of the master of a replica, or {@code -}
 * @param slotRanges inclusive {@code [from, to]} pairs; slots being imported or migrated ({@code [...]}) are left out
 */
record ClusterNodeLine(String id, RedisAddress address, Set<String> flags, String masterId,
        List<int[]> slotRanges) {

    /** Flags of a node that the cluster does not (yet, or any more) count as healthy. */
    private static final Set<String> UNHEALTHY = Set.of("fail", "fail?", "handshake", "noaddr");

    /** Parses the whole {@code CLUSTER NODES} reply. */
    public static List<ClusterNodeLine> parseAll(String text) {
        List<ClusterNodeLine> lines = new ArrayList<>();
        for (String line : text.split("\r?\n")) {
            if (!line.isBlank()) {
                lines.add(parse(line.trim()));
            }
        }
        return lines;
    }

    static ClusterNodeLine parse(String line) {
        String[] fields = line.split(" ");
        if (fields.length < 8) {
            throw new IllegalArgumentException("not a CLUSTER NODES line: " + line);
        }
        String address = fields[1];
        int comma = address.indexOf(',');
        if (comma >= 0) {
            address = address.substring(0, comma);
        }
        List<int[]> ranges = new ArrayList<>();
        for (int i = 8; i < fields.length; i++) {
            String range = fields[i];
            if (range.startsWith("[")) {
                continue;
            }
            int dash = range.indexOf('-');
            int from = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
            int to = dash < 0 ? from : Integer.parseInt(range.substring(dash + 1));
            ranges.add(new int[] {from, to});
        }
        return new ClusterNodeLine(fields[0], RedisAddress.parse(address), Set.of(fields[2].split(",")), fields[3],
                List.copyOf(ranges));
    }

    public boolean isMaster() {
        return flags.contains("master");
    }

    public boolean isReplica() {
        return flags.contains("slave");
    }

    /** Neither failing, suspected, nor still being introduced. */
    public boolean isHealthy() {
        return flags.stream().noneMatch(UNHEALTHY::contains);
    }

    public boolean ownsSlot(int slot) {
        return slotRanges.stream().anyMatch(range -> range[0] <= slot && slot <= range[1]);
    }

    public int slotCount() {
        return slotRanges.stream().mapToInt(range -> range[1] - range[0] + 1).sum();
    }
}
