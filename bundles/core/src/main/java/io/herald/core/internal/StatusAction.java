package io.herald.core.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.herald.api.Action;
import io.herald.api.ActionContext;
import io.herald.api.ActionDefinition;
import io.herald.api.cluster.ClusterBus;
import io.herald.api.cluster.ClusterException;
import io.herald.api.cluster.ClusterMember;
import io.herald.api.spi.ServerIdentity;
import io.herald.api.spi.TaskQueueLength;

import org.osgi.service.cm.ConfigurationException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The built-in {@code status} action: who this node is, the project it serves, how long it has run, its memory, the
 * jobs waiting in the task queues, the health of every part that reports one ({@link NodeHealth}), what runs from
 * {@code deploy/}, and the cluster this node sees. Fields follow Actionhero's {@code status} action
 * ({@code src/actions/status.ts}: {@code id}, {@code actionheroVersion} (here {@code heraldVersion}), {@code name},
 * {@code description}, {@code version}, {@code uptime}, {@code consumedMemoryMB}, {@code resqueTotalQueueLength},
 * {@code nodeStatus}, {@code problems}, in that order), and it answers 200 whatever the node's state, as Actionhero's
 * does; load balancers ask the {@code health} action. {@code nodeStatus} may also be {@code Degraded} (see
 * {@link HealthReport}); {@code environment}, {@code memory}, {@code health}, {@code deployments} and {@code cluster}
 * are Herald's: Actionhero has no member list, and operators otherwise cannot tell a lone node from one cut off from
 * its cluster (a wrong {@code .serverToken}, another Redis).
 *
 * <p>More jobs waiting than {@code maxResqueQueueLength} make {@code nodeStatus} Unhealthy here, as in Actionhero, but
 * not in the {@code health} action: the queues are the whole cluster's, so a load balancer that dropped every node for
 * them would stop the web traffic and shorten no queue. The length is asked for only while this action answers
 * ({@link QueueLengthReader}: at most {@link #QUEUE_READ_TIMEOUT}; queues that cannot be read in time are a problem
 * and a Degraded node, never a hang).
 */
@Component(configurationPid = "io.herald.core", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@ActionDefinition(name = "status", description = "I return the health and the vital figures of this node (the details to the admin role)",
        outputExample = "{\"id\":\"10.0.0.5\",\"heraldVersion\":\"0.1.0\",\"name\":\"my-api\",\"description\":\"My API\","
                + "\"version\":\"1.2.0\",\"uptime\":12345,\"consumedMemoryMB\":48,\"resqueTotalQueueLength\":0,"
                + "\"nodeStatus\":\"Healthy\",\"problems\":[],\"environment\":\"production\","
                + "\"deployments\":[{\"file\":\"hello.jar\",\"bundle\":\"io.herald.example.hello\",\"version\":\"1.0.0\","
                + "\"state\":\"ACTIVE\",\"problem\":null,\"since\":\"2026-01-01T00:00:00Z\"}],"
                + "\"cluster\":{\"transport\":\"in-process\",\"members\":[{\"id\":\"10.0.0.5\",\"lastSeen\":\"2026-01-01T00:00:00Z\"}]}}")
public final class StatusAction implements Action {

    /** The longest a caller waits for the task queues' length; a store that is down usually fails at once. */
    static final Duration QUEUE_READ_TIMEOUT = Duration.ofSeconds(1);

    @Reference
    private ServerIdentity identity;

    @Reference
    private NodeHealth health;

    // Optional and dynamic: status must answer while the bus is missing or restarting, it is what operators look at then.
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ClusterBus bus;

    // Optional and dynamic: published by the tasks bundle; without it the node has no task queues (0 jobs waiting).
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TaskQueueLength queues;

    private volatile ProjectInfo project;
    private volatile long maxResqueQueueLength;
    private QueueLengthReader reader;

    /** The role that sees the whole report; the same as the {@code resque:*} admin actions require. */
    static final String DETAILS_ROLE = "admin";

    @Activate
    void activate(CoreConfig config, Map<String, Object> properties) throws ConfigurationException {
        configure(CoreSettings.read(config, properties));
        reader = new QueueLengthReader(QUEUE_READ_TIMEOUT);
    }

    @Modified
    void modified(CoreConfig config, Map<String, Object> properties) throws ConfigurationException {
        configure(CoreSettings.read(config, properties));
    }

    private void configure(CoreSettings settings) {
        project = settings.project();
        maxResqueQueueLength = settings.maxResqueQueueLength();
    }

    @Deactivate
    void deactivate() {
        reader.close();
    }

    /**
     * The whole report for a caller with the {@value #DETAILS_ROLE} role; for anyone else the public fields, plus
     * {@code details: "requires the admin role"} so the difference is never a mystery. Problems, deployments, memory and
     * the cluster's members tell an attacker what runs here and what is broken. Both views give the same
     * {@code nodeStatus}, so both count the waiting jobs.
     */
    @Override
    public Object run(ActionContext context) {
        QueueLengthReader.Reading queued = reader.read(queues);
        HealthReport report = checkQueues(health.report(), queued, maxResqueQueueLength);
        if (context.caller().map(caller -> caller.hasRole(DETAILS_ROLE)).orElse(false)) {
            return report(identity, project, report, queued, bus, Instant.now());
        }
        return publicReport(identity, report, Instant.now());
    }

    /**
     * Actionhero's queue check: more than {@code max} jobs waiting make the node Unhealthy, with its problem line
     * ("Resque Queues over 1000 jobs"); queues that could not be read make it Degraded (Actionhero's status fails then).
     */
    static HealthReport checkQueues(HealthReport health, QueueLengthReader.Reading queued, long max) {
        if (queued.problem() != null) {
            return health.worsened(HealthReport.DEGRADED, queued.problem());
        }
        if (queued.length() > max) {
            return health.worsened(HealthReport.UNHEALTHY,
                    "Resque Queues over " + max + " jobs (" + queued.length() + " waiting)");
        }
        return health;
    }

    /**
     * What everyone sees: enough for a load balancer or a status page, nothing about the node's insides (and none of
     * the work of the details: no memory beans read, no cluster members asked).
     */
    static Map<String, Object> publicReport(ServerIdentity identity, HealthReport health, Instant now) {
        Map<String, Object> visible = new LinkedHashMap<>();
        visible.put("id", identity.id());
        visible.put("heraldVersion", identity.version());
        visible.put("uptime", Duration.between(identity.startedAt(), now).toMillis());
        visible.put("nodeStatus", health.nodeStatus());
        visible.put("details", "requires the " + DETAILS_ROLE + " role");
        return visible;
    }

    /**
     * The status report: Actionhero's fields in its order, then Herald's. {@code bus} may be null (no cluster bus on
     * this node right now); {@code resqueTotalQueueLength} is {@code null} when the queues could not be read (the
     * reason is in {@code problems}).
     *
     * @param health the node's health with the queue check made ({@link #checkQueues})
     */
    static Map<String, Object> report(ServerIdentity identity, ProjectInfo project, HealthReport health,
            QueueLengthReader.Reading queued, ClusterBus bus, Instant now) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        MemoryUsage heap = memory.getHeapMemoryUsage();
        long heapUsedMB = HealthReport.mb(heap.getUsed());
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("id", identity.id());
        status.put("heraldVersion", identity.version());
        status.put("name", project.name());
        status.put("description", project.description());
        status.put("version", project.version());
        status.put("uptime", Duration.between(identity.startedAt(), now).toMillis());
        status.put("consumedMemoryMB", heapUsedMB);
        status.put("resqueTotalQueueLength", queued.length());
        status.put("nodeStatus", health.nodeStatus());
        status.put("problems", health.problems());
        status.put("environment", identity.environment());
        status.put("memory", Map.of("heapUsedMB", heapUsedMB, "heapMaxMB", HealthReport.mb(NodeHealth.heapMax(heap)),
                "nonHeapUsedMB", HealthReport.mb(memory.getNonHeapMemoryUsage().getUsed())));
        status.put("health", health.health());
        status.put("deployments", health.deployments());
        status.put("cluster", cluster(bus));
        return status;
    }

    /**
     * The transport the bus runs over and the members this node sees, this one included: {@code id} and
     * {@code lastSeen} (ISO-8601, by this node's clock). Without a bus, or while it is stopped, the transport is
     * {@code none} and the member list empty.
     */
    static Map<String, Object> cluster(ClusterBus bus) {
        Map<String, Object> cluster = new LinkedHashMap<>();
        if (bus == null) {
            cluster.put("transport", "none");
            cluster.put("members", List.of());
            return cluster;
        }
        cluster.put("transport", bus instanceof DescribesTransport described ? described.transportDescription()
                : bus.getClass().getName());
        List<Map<String, Object>> members = new ArrayList<>();
        try {
            for (ClusterMember member : bus.members()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("id", member.id());
                entry.put("lastSeen", member.lastSeen().toString());
                members.add(entry);
            }
        } catch (ClusterException stopped) {
            // The bus stopped between the lookup and this call (a restart): report it, do not fail the status.
            cluster.put("error", stopped.getMessage());
        }
        cluster.put("members", members);
        return cluster;
    }
}
