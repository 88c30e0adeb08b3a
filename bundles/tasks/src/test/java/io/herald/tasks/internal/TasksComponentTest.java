package io.herald.tasks.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import javax.xml.parsers.DocumentBuilderFactory;

import org.apache.felix.framework.FrameworkFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.launch.Framework;
import org.osgi.service.cm.ConfigurationException;
import org.osgi.service.condition.Condition;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import io.herald.api.spi.HealthIndicator.Health;
import io.herald.api.spi.HealthIndicator;
import io.herald.api.spi.NodeReady;
import io.herald.api.spi.TaskQueueLength;
import io.herald.api.task.TaskQueue;
import io.herald.core.ParamChecks;
import io.herald.testing.Await;

/**
 * {@link TasksComponent} against a real framework's service registry, its methods called in the order Declarative
 * Services calls them: the queue and health entry serve at once, workers and the scheduler wait for the
 * {@code herald.ready} condition, and losing it stops them gracefully before the unbind returns.
 */
class TasksComponentTest {

    @TempDir
    Path storage;

    private Framework framework;
    private BundleContext context;
    private final TasksComponent component = new TasksComponent();
    private final TestTasks.Blocking blocking = new TestTasks.Blocking();
    private final TestTasks.Recording hello = new TestTasks.Recording();

    @BeforeEach
    void startFramework() throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, Files.createDirectories(storage.resolve("felix")).toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put("herald.role", "worker");
        framework = new FrameworkFactory().newFramework(config);
        framework.start();
        context = framework.getBundleContext();
        component.checker = ParamChecks.standard();
        component.addTask(blocking, withServiceId(TestTasks.props("slow").build()));
        component.addTask(hello, withServiceId(TestTasks.props("hello").build()));
    }

    @AfterEach
    void stopFramework() throws Exception {
        blocking.release();
        component.deactivate();
        framework.stop();
        framework.waitForStop(30_000);
    }

    @Test
    void workers_and_scheduler_wait_for_the_node_to_be_ready_while_the_queue_serves() throws Exception {
        component.activate(context, config());

        TaskQueue queue = service(TaskQueue.class);
        assertTrue(queue.enqueue("hello", Map.of("n", 1)), "actions can enqueue before the node is ready");
        TaskProcessor processor = component.processor();
        assertNull(processor.pool(), "no worker pops");
        assertNull(processor.scheduler(), "no scheduler runs (it would enqueue the recurring tasks)");
        assertTrue(queue.workers().isEmpty());
        Health held = service(HealthIndicator.class).health();
        assertEquals(Health.State.DEGRADED, held.state(), "a job waits and no worker is registered: " + held);
        assertTrue(String.valueOf(held.details().get("held")).contains("herald.ready"), held.toString());
        assertEquals(1L, service(TaskQueueLength.class).totalQueueLength(), "the status action's resqueTotalQueueLength");

        ServiceRegistration<Condition> ready = registerReady();
        component.bindReady(ready.getReference());

        Await.until(() -> hello.count() == 1, "the queued job runs once the node is ready");
        Await.until(() -> processor.scheduler() != null && processor.scheduler().isLeader(), "the scheduler leads");
        Health up = service(HealthIndicator.class).health();
        assertEquals(Health.State.UP, up.state(), up.toString());
        assertNull(up.details().get("held"), up.toString());
    }

    @Test
    void losing_the_condition_stops_the_scheduler_and_lets_the_job_in_flight_finish_before_the_unbind_returns()
            throws Exception {
        ServiceRegistration<Condition> ready = registerReady();
        component.bindReady(ready.getReference()); // bound before activation, as DS binds a condition already there
        component.activate(context, config());
        TaskQueue queue = service(TaskQueue.class);
        TaskProcessor processor = component.processor();
        Await.until(() -> processor.scheduler() != null && processor.scheduler().isLeader(), "the scheduler leads");
        assertNotNull(processor.store().leader());
        queue.enqueue("slow", Map.of());
        Await.until(() -> blocking.started() == 1, "the job runs");

        Thread unbind = new Thread(() -> component.unbindReady(ready.getReference()), "unbind-ready");
        unbind.start();
        Await.until(() -> processor.pool() == null || !processor.pool().isRunning(), "the pool stops taking jobs");
        assertTrue(unbind.isAlive(), "the unbind waits for the job in flight");
        blocking.release();
        unbind.join(30_000);

        assertTrue(!unbind.isAlive(), "the unbind returned");
        assertEquals(1, blocking.finished());
        assertEquals(Long.valueOf(1), queue.stats().get("processed"), "the job finished, not failed");
        assertEquals(0, queue.failedCount());
        assertTrue(queue.workers().isEmpty(), "the workers unregistered: " + queue.workers());
        assertNull(processor.store().leader(), "the leader lock was released");
        assertTrue(queue.enqueue("hello", Map.of()), "the queue still serves while the node stops");
        assertTrue(String.valueOf(service(HealthIndicator.class).health().details().get("held")).contains("not ready"));
    }

    @Test
    void a_greedy_rebind_to_another_condition_keeps_the_processors_running() throws Exception {
        component.activate(context, config());
        ServiceRegistration<Condition> first = registerReady();
        component.bindReady(first.getReference());
        TaskProcessor processor = component.processor();
        Await.until(() -> processor.pool() != null, "the pool runs");

        ServiceRegistration<Condition> second = registerReady();
        component.bindReady(second.getReference());
        component.unbindReady(first.getReference());

        assertTrue(processor.isRunning());
        assertNotNull(processor.pool());
        assertTrue(processor.pool().isRunning());
    }

    @Test
    void a_value_not_accepted_fails_activation_with_a_configuration_exception_naming_the_property() {
        Map<String, Object> config = config();
        config.put("scheduler", "maybe");

        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> component.activate(context, config));

        assertEquals("scheduler", e.getProperty());
        assertEquals("scheduler must be true, false, yes, no, 1 or 0 (any case), was \"maybe\"", e.getReason());
        assertNull(context.getServiceReference(TaskQueue.class), "nothing registered");
    }

    @Test
    void the_condition_reference_is_declared_optional_dynamic_and_greedy_on_herald_ready() throws Exception {
        Element ready = null;
        try (InputStream xml = getClass().getClassLoader()
                .getResourceAsStream("OSGI-INF/" + TasksComponent.class.getName() + ".xml")) {
            assertNotNull(xml, "the component description bnd generates");
            NodeList references = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml)
                    .getElementsByTagName("reference");
            for (int i = 0; i < references.getLength(); i++) {
                Element reference = (Element) references.item(i);
                if (reference.getAttribute("interface").equals(Condition.class.getName())) {
                    ready = reference;
                }
            }
        }
        assertNotNull(ready, "a reference to Condition");
        assertEquals("0..1", ready.getAttribute("cardinality"));
        assertEquals("dynamic", ready.getAttribute("policy"));
        assertEquals("greedy", ready.getAttribute("policy-option"));
        assertEquals(NodeReady.TARGET, ready.getAttribute("target"));
        assertEquals("bindReady", ready.getAttribute("bind"));
        assertEquals("unbindReady", ready.getAttribute("unbind"));
    }

    /** What the launcher registers once the node is ready. */
    private ServiceRegistration<Condition> registerReady() {
        return context.registerService(Condition.class, Condition.INSTANCE,
                FrameworkUtil.asDictionary(Map.of(Condition.CONDITION_ID, NodeReady.CONDITION_ID)));
    }

    private <T> T service(Class<T> type) {
        ServiceReference<T> reference = context.getServiceReference(type);
        assertNotNull(reference, type.getName() + " registered");
        return context.getService(reference);
    }

    /** Short intervals, one processor, the scheduler on. */
    private static Map<String, Object> config() {
        return Harness.config("scheduler", "true");
    }

    private static Map<String, Object> withServiceId(Map<String, Object> properties) {
        Map<String, Object> withId = new HashMap<>(properties);
        withId.put(Constants.SERVICE_ID, TestTasks.nextOrder());
        return withId;
    }
}
