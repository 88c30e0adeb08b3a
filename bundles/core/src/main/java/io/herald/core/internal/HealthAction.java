package io.herald.core.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import io.herald.api.Action;
import io.herald.api.ActionContext;
import io.herald.api.ActionDefinition;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The built-in {@code health} action, for load balancers and orchestrators ({@code GET /api/health}): the node's
 * {@code nodeStatus} and {@code problems} (the same aggregation as {@code status}, see {@link HealthReport}), with
 * status 503 when the node is Unhealthy and 200 otherwise (Healthy or Degraded: a degraded node still serves). Probes
 * come every few seconds, so its line is logged at debug and the answer carries no transport metadata.
 */
@Component
@ActionDefinition(name = "health", description = "I answer 503 when this node is unhealthy, 200 otherwise",
        logLevel = "debug", responseMetadata = false,
        outputExample = "{\"nodeStatus\":\"Healthy\",\"problems\":[]}")
public final class HealthAction implements Action {

    static final int UNHEALTHY_STATUS = 503;

    private final NodeHealth health;

    @Activate
    public HealthAction(@Reference NodeHealth health) {
        this.health = health;
    }

    @Override
    public Object run(ActionContext context) {
        HealthReport report = health.report();
        if (report.unhealthy()) {
            context.setStatus(UNHEALTHY_STATUS);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("nodeStatus", report.nodeStatus());
        answer.put("problems", report.problems());
        return answer;
    }
}
