package io.herald.tasks.internal;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationException;
import org.osgi.service.condition.Condition;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

import io.herald.api.spi.HealthIndicator;
import io.herald.api.spi.TaskQueueLength;
import io.herald.core.properties.ServiceProperties;
import io.herald.api.spi.NodeReady;
import io.herald.api.spi.ParamChecker;
import io.herald.api.spi.Redactor;
import io.herald.api.task.Task;
import io.herald.api.task.TaskMiddleware;
import io.herald.api.task.TaskPlugin;
import io.herald.api.task.TaskQueue;
import io.herald.core.properties.InvalidPropertyException;
import io.herald.redis.RedisConnection;
import io.herald.tasks.internal.redis.RedisStores;
import io.herald.tasks.internal.scheduler.Scheduler;
import io.herald.tasks.internal.store.MemoryResqueStore;
import io.herald.tasks.internal.store.ResqueStore;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task processor under OSGi: gathers every {@link Task}, {@link TaskPlugin} and {@link TaskMiddleware} service (the
 * whiteboard, as the core gathers actions), publishes the {@link TaskQueue}, the {@code tasks} health entry and the jobs
 * waiting ({@link TaskQueueLength}, for the {@code status} action), and runs the worker pool and the scheduler that
 * configuration PID {@code io.herald.tasks} and the node's role ask for.
 *
 * <p>The store: Redis when a {@code (herald.redis.connection=tasks)} connection service exists, the in-process store
 * otherwise (the embedded default), switching while the node runs ({@link TaskProcessor#useStore}). The reference to
 * the connection is optional (a mandatory one would leave this component unsatisfied on a node without Redis, which
 * the launcher's start-up check reports as a failure) and takes a {@link ServiceReference}: the connection type lives
 * in an optionally imported package, so nothing here may need it loaded; {@link RedisStores} does the rest.
 *
 * <p>Workers and the scheduler wait for the node to be ready: the {@code herald.ready} condition
 * ({@link NodeReady#TARGET}), which the launcher registers once the role's bundles and everything in {@code deploy/}
 * are live, so no worker pops a job whose task is not registered yet ({@code No job defined for class}), and no
 * scheduler enqueues the recurring tasks before they are all there. Until then the {@link TaskQueue} and the health
 * entry serve (actions can enqueue). When the condition leaves (the node is stopping, every bundle still there), the
 * scheduler stops and releases the leader lock, and the pool stops gracefully: jobs in flight finish within
 * {@code shutdownTimeout}, then the workers unregister, before the unbind returns and the launcher stops the framework.
 * Actionhero gets the same order from its initializers: task processors start after the tasks load and stop first.
 */
@Component(service = {}, configurationPid = TasksComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true)
@Designate(ocd = TasksConfig.class)
@Capability(namespace = "osgi.implementation", name = "io.herald.tasks", version = "1.0.0")
public final class TasksComponent {

    static final String PID = "io.herald.tasks";
    /**
     * The {@link TaskQueue}'s property saying where its jobs go: {@code redis}, or {@code in-process} (they die with
     * the node); kept current as the store switches.
     */
    public static final String STORAGE_PROPERTY = "herald.tasks.storage";
    private static final Logger LOG = LoggerFactory.getLogger(TasksComponent.class);

    /** Package-visible for tests, which set it as DS does. */
    @Reference
    volatile ParamChecker checker;

    /** Reads {@link #checker} on each call: references may be bound in any order, tasks before the checker. */
    private final TaskProcessor processor = new TaskProcessor((inputs, params) -> checker.check(inputs, params),
            new MemoryResqueStore(), Scheduler.Settings.defaultName());
    private final MemoryResqueStore memory = (MemoryResqueStore) processor.store();

    private BundleContext context;
    private Object redisConnection;
    private ServiceReference<?> heldReference;
    private TasksSettings settings;
    private ServiceReference<?> redisReference;
    private ServiceRegistration<TaskQueue> queueRegistration;
    private ServiceRegistration<HealthIndicator> healthRegistration;
    private ServiceRegistration<TaskQueueLength> lengthRegistration;
    /** Why the Redis {@code tasks} connection is there but its store is not in use, for the health entry. */
    private volatile String storeProblem;
    /** The {@code herald.ready} condition bound now, or {@code null} while the node is not ready. */
    private ServiceReference<?> readyReference;

    /**
     * @throws ConfigurationException naming the property whose value is not accepted (the launcher finds it in the
     *     activation failure and reports it as one line naming the environment variable)
     */
    @Activate
    synchronized void activate(BundleContext bundle, Map<String, Object> config) throws ConfigurationException {
        try {
            this.settings = TasksSettings.from(config, bundle.getProperty("herald.role"));
        } catch (InvalidPropertyException e) {
            throw new ConfigurationException(e.property(), e.getMessage(), e);
        }
        this.context = bundle;
        if (redisReference != null) {
            useRedis(redisReference);
        }
        processor.reconfigure(settings);
        queueRegistration = bundle.registerService(TaskQueue.class, processor.queue(), queueProperties());
        healthRegistration = bundle.registerService(HealthIndicator.class, new TasksHealth(processor, () -> storeProblem),
                null);
        lengthRegistration = bundle.registerService(TaskQueueLength.class, new QueuedJobs(processor), null);
        LOG.info("tasks: {} to {} processors on {}, scheduler {}, store {}{}", settings.minTaskProcessors(),
                settings.maxTaskProcessors(), String.join(",", settings.queues()), settings.scheduler() ? "on" : "off",
                processor.store() == memory ? "in-process" : "Redis",
                readyReference == null ? "; processors and scheduler wait for the node to be ready" : "");
        if (readyReference != null) {
            processor.start(settings);
        }
    }

    @Modified
    synchronized void modified(Map<String, Object> config) {
        TasksSettings next;
        try {
            next = TasksSettings.from(config, context.getProperty("herald.role"));
        } catch (IllegalArgumentException e) {
            LOG.error("io.herald.tasks not applied, the previous settings stay in use: {}", e.getMessage());
            return;
        }
        boolean storeChanged = !next.namespace().equals(settings.namespace()) || next.waitReplicas() != settings.waitReplicas()
                || next.waitTimeoutMillis() != settings.waitTimeoutMillis();
        settings = next;
        if (storeChanged && redisReference != null) {
            useRedis(redisReference);
        }
        processor.reconfigure(next);
    }

    /** For tests in this package. */
    TaskProcessor processor() {
        return processor;
    }

    @Deactivate
    synchronized void deactivate() {
        unregister(queueRegistration);
        unregister(healthRegistration);
        unregister(lengthRegistration);
        queueRegistration = null;
        healthRegistration = null;
        lengthRegistration = null;
        processor.stop();
        releaseRedis();
        context = null;
    }

    // ---------------------------------------------------------------------------------------------- readiness

    @Reference(name = "ready", service = Condition.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY, target = NodeReady.TARGET)
    synchronized void bindReady(ServiceReference<Condition> reference) {
        boolean wasReady = readyReference != null;
        readyReference = reference;
        if (context != null && !wasReady) {
            LOG.info("the node is ready: task processors and scheduler start");
            processor.start(settings);
        }
    }

    /** The node is stopping: returns once the scheduler and the pool have stopped (see the class comment). */
    synchronized void unbindReady(ServiceReference<Condition> reference) {
        if (!reference.equals(readyReference)) {
            return; // a greedy rebind to another condition: the node stays ready
        }
        readyReference = null;
        if (context != null) {
            LOG.info("the node is stopping: the scheduler stops and the task processors finish their jobs (at most {} ms)",
                    settings.shutdownTimeoutMillis());
            processor.stop();
        }
    }

    // ---------------------------------------------------------------------------------------------- the store

    @Reference(name = "redis", service = RedisConnection.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            target = "(" + RedisConnection.NAME_PROPERTY + "=tasks)")
    synchronized void bindRedis(ServiceReference<?> reference) {
        redisReference = reference;
        if (context != null) {
            useRedis(reference);
        }
    }

    synchronized void unbindRedis(ServiceReference<?> reference) {
        if (!reference.equals(redisReference)) {
            return;
        }
        redisReference = null;
        storeProblem = null;
        if (context != null) {
            LOG.info("the Redis tasks connection left: tasks run in the node until it is back");
            processor.useStore(memory);
            publishStorage();
            releaseRedis();
        }
    }

    private void useRedis(ServiceReference<?> reference) {
        if (heldReference != reference) {
            releaseRedis();
            redisConnection = context.getService(reference);
            heldReference = reference;
        }
        Object connection = redisConnection;
        if (connection == null) {
            storeProblem = "the Redis tasks connection service could not be obtained: jobs stay in this node";
            LOG.error("tasks stay in the node: {}", storeProblem);
            return;
        }
        ResqueStore store;
        try {
            store = RedisStores.create(connection, settings.namespace(), settings.waitReplicas(),
                    settings.waitTimeoutMillis());
        } catch (IllegalArgumentException e) {
            storeProblem = "the Redis tasks store cannot be used, jobs stay in this node: " + e.getMessage();
            LOG.error("tasks stay in the node: the Redis tasks store cannot be used: {}", e.getMessage());
            return;
        }
        storeProblem = null;
        processor.useStore(store);
        publishStorage();
    }

    private Dictionary<String, Object> queueProperties() {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("herald.tasks.store", "resque");
        properties.put(STORAGE_PROPERTY, processor.store() == memory ? "in-process" : "redis");
        return properties;
    }

    private void publishStorage() {
        if (queueRegistration != null) {
            queueRegistration.setProperties(queueProperties());
        }
    }

    private void releaseRedis() {
        if (heldReference != null && context != null) {
            try {
                context.ungetService(heldReference);
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping
            }
        }
        heldReference = null;
        redisConnection = null;
    }

    // ---------------------------------------------------------------------------------------------- the whiteboard

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addTask(Task task, Map<String, Object> properties) {
        processor.registry().addTask(task, properties, ServiceProperties.serviceId(properties));
    }

    void removeTask(Task task) {
        processor.registry().removeTask(task);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addPlugin(TaskPlugin plugin, Map<String, Object> properties) {
        processor.registry().addPlugin(plugin, properties, ServiceProperties.serviceId(properties));
    }

    void removePlugin(TaskPlugin plugin) {
        processor.registry().removePlugin(plugin);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addMiddleware(TaskMiddleware middleware, Map<String, Object> properties) {
        processor.registry().addMiddleware(middleware, properties, ServiceProperties.serviceId(properties));
    }

    void removeMiddleware(TaskMiddleware middleware) {
        processor.registry().removeMiddleware(middleware);
    }

    /**
     * The param-filtering bundle's redactor, for the job args in log lines (the core's action log uses it the same
     * way); optional and dynamic: while none runs, those lines name the params without their values.
     */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addRedactor(Redactor redactor, Map<String, Object> properties) {
        processor.queue().loggedArgs().add(redactor, ServiceProperties.ranking(properties),
                ServiceProperties.serviceId(properties));
    }

    void removeRedactor(Redactor redactor) {
        processor.queue().loggedArgs().remove(redactor);
    }



    private static void unregister(ServiceRegistration<?> registration) {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping
            }
        }
    }
}
