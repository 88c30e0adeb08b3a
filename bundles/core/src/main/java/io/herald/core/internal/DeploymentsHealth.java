package io.herald.core.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.herald.api.spi.HealthIndicator;
import io.herald.launcher.spi.Deployment;
import io.herald.launcher.spi.Deployments;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code deployments} health of a node run by the launcher: DEGRADED while a file of {@code deploy/} is refused
 * (its previous version, if any, keeps serving) or a removed file's bundle is kept because others need it, with one
 * problem per such file quoting the launcher's reason; UP otherwise. It also gives the status action its
 * {@code deployments} list.
 *
 * <p>The only class of the core that names {@code io.herald.launcher.spi}: that package is exported by the launcher's
 * system bundle and imported optionally. Without the launcher (a test framework) the mandatory reference leaves this
 * component unsatisfied, SCR never loads this class, and the core runs without it.
 */
@Component(service = HealthIndicator.class)
public final class DeploymentsHealth implements HealthIndicator, ListsDeployments {

    private final Deployments deployments;

    @Activate
    public DeploymentsHealth(@Reference Deployments deployments) {
        this.deployments = deployments;
    }

    @Override
    public Health health() {
        List<String> problems = new ArrayList<>();
        int active = 0;
        for (Deployment deployment : deployments.deployments()) {
            switch (deployment.state()) {
                case ACTIVE -> active++;
                case REFUSED, KEPT -> problems.add(deployment.problem() != null ? deployment.problem()
                        : deployment.file() + " is " + deployment.state().name().toLowerCase(Locale.ROOT));
                case PENDING -> {
                    // on its way: not a problem yet
                }
            }
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("active", active);
        details.put("problems", problems);
        return new Health("deployments", problems.isEmpty() ? Health.State.UP : Health.State.DEGRADED, details);
    }

    @Override
    public List<Map<String, Object>> deployments() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Deployment deployment : deployments.deployments()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("file", deployment.file());
            entry.put("bundle", deployment.symbolicName());
            entry.put("version", deployment.version());
            entry.put("state", deployment.state().name());
            entry.put("problem", deployment.problem());
            entry.put("since", deployment.since() == null ? null : deployment.since().toString());
            list.add(entry);
        }
        return list;
    }
}
