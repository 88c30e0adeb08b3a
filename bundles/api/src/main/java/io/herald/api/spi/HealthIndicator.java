package io.herald.api.spi;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Reports the health of one part of the node (a Redis connection, the task workers, the cluster bus, what runs from
 * {@code deploy/}, ...). Publish it as a service; the core asks every one each time the {@code status} or
 * {@code health} action answers, so {@link #health()} should be quick (it may read a Redis connection's state, it
 * should not wait for a failover).
 *
 * <p>How the parts make the node's {@code nodeStatus}:
 * <pre>
 *   any part DOWN, or the heap above maxHeapPercent ──▶ Unhealthy   health action: 503
 *   else any part DEGRADED                          ──▶ Degraded    health action: 200 (it still serves)
 *   else                                            ──▶ Healthy     health action: 200
 * </pre>
 *
 * <ul>
 * <li>{@link Health.State#UP}: works.</li>
 * <li>{@link Health.State#DEGRADED}: serves, but something is wrong and may need an operator: a Redis failover in
 * progress, jobs waiting with no worker in the cluster, a jar of {@code deploy/} refused while its previous version
 * keeps serving.</li>
 * <li>{@link Health.State#DOWN}: cannot do its job; the node is Unhealthy and load balancers should send it nothing
 * (Redis unreachable for longer than the retry window, a part misconfigured).</li>
 * </ul>
 *
 * <p>A part that is not UP says why in its details, which the {@code status} action shows and turns into the lines of
 * {@code problems}: a list of one-line reasons under {@code problems} (one line each, e.g. one per refused jar), else
 * one line under {@code error}, {@code warning} or {@code reason}; without them the line only says that the part is
 * down or degraded. An indicator that throws counts as DOWN, with the exception's message.
 *
 * @since 1.0
 */
@ConsumerType
public interface HealthIndicator {

    Health health();

    /**
     * @param name the part reported on, e.g. {@code redis.client}
     * @param state its state
     * @param details what the {@code status} action shows of it; JSON-friendly values (strings, numbers, lists, maps)
     */
    record Health(String name, State state, Map<String, Object> details) {

        public enum State { UP, DEGRADED, DOWN }
    }
}
