package io.herald.core.internal.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.herald.api.cluster.ClusterMember;

import org.slf4j.Logger;

/**
 * The nodes this node has heard from, with the log lines Actionhero writes when members come and go ("member ... has
 * joined the cluster", logged on every node through {@code doCluster("api.log")}). Actionhero keeps no member list;
 * Herald adds heartbeats so that a node that died without saying goodbye is forgotten too.
 */
final class Membership {

    private final String selfId;
    private final Instant selfJoinedAt;
    private final Logger log;
    private final Map<String, Entry> others = new LinkedHashMap<>();

    private static final class Entry {
        Instant joinedAt;
        Instant lastSeen;

        Entry(Instant joinedAt, Instant lastSeen) {
            this.joinedAt = joinedAt;
            this.lastSeen = lastSeen;
        }
    }

    Membership(String selfId, Instant selfJoinedAt, Logger log) {
        this.selfId = selfId;
        this.selfJoinedAt = selfJoinedAt;
        this.log = log;
    }

    /** A node announced that it joined. */
    synchronized void joined(String id, Instant joinedAt, Instant now) {
        log.info("member {} joined the cluster", id);
        if (!id.equals(selfId)) {
            others.put(id, new Entry(joinedAt == null ? now : joinedAt, now));
        }
    }

    /**
     * A message came from a node. Returns true when the node was not known: it joined before this node did, or it
     * came back after being forgotten.
     */
    synchronized boolean seen(String id, Instant joinedAt, Instant now) {
        if (id.equals(selfId)) {
            return false;
        }
        Entry entry = others.get(id);
        if (entry == null) {
            others.put(id, new Entry(joinedAt == null ? now : joinedAt, now));
            log.info("member {} is in the cluster", id);
            return true;
        }
        entry.lastSeen = now;
        if (joinedAt != null) {
            entry.joinedAt = joinedAt;
        }
        return false;
    }

    /** Another node announced that it leaves. */
    synchronized void left(String id) {
        if (others.remove(id) != null) {
            log.info("member {} left the cluster", id);
        }
    }

    /** Forgets the nodes not heard from for {@code timeout}: they stopped without leaving or are cut off. */
    synchronized void forgetSilent(Instant now, Duration timeout) {
        Instant cutoff = now.minus(timeout);
        for (Iterator<Map.Entry<String, Entry>> it = others.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, Entry> member = it.next();
            if (member.getValue().lastSeen.isBefore(cutoff)) {
                it.remove();
                log.info("member {} left the cluster: nothing heard from it for {} ms", member.getKey(),
                        timeout.toMillis());
            }
        }
    }

    /** Forgets every other node: after a transport switch they are heard from anew. */
    synchronized void forgetOthers() {
        others.clear();
    }

    synchronized Set<String> ids() {
        Set<String> ids = new HashSet<>(others.keySet());
        ids.add(selfId);
        return ids;
    }

    synchronized List<ClusterMember> members(Instant now) {
        List<ClusterMember> members = new ArrayList<>();
        members.add(new ClusterMember(selfId, selfJoinedAt, now));
        others.forEach((id, entry) -> members.add(new ClusterMember(id, entry.joinedAt, entry.lastSeen)));
        members.sort(Comparator.comparing(ClusterMember::id));
        return List.copyOf(members);
    }
}
