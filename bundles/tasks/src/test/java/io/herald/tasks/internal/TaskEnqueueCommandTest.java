package io.herald.tasks.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

import io.herald.api.Input;
import io.herald.api.Inputs;
import io.herald.api.spi.ParamChecker;
import io.herald.api.task.Task;
import io.herald.api.task.TaskQueue;
import io.herald.core.ParamChecks;
import io.herald.redis.RedisConnection;
import io.herald.redis.internal.RedisConnections;
import io.herald.tasks.internal.cli.TaskEnqueueCommand;
import io.herald.testing.redis.RedisServer;
import io.herald.testing.redis.RespClient;

/**
 * {@code herald task enqueue} ({@link TaskEnqueueCommand}) against a real framework's registry, the task processor
 * ({@link TasksComponent}) and a real redis-server: what it prints, what it refuses, the job it leaves on Redis.
 */
class TaskEnqueueCommandTest {

    @TempDir
    Path home;

    private Framework framework;
    private BundleContext context;
    private final TasksComponent component = new TasksComponent();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void startFramework() throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, Files.createDirectories(home.resolve("felix")).toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put("herald.role", "web");
        config.put("herald.home", home.toString());
        config.put("herald.task.timeout", "300");
        framework = new FrameworkFactory().newFramework(config);
        framework.start();
        context = framework.getBundleContext();
        ParamChecker checker = ParamChecks.standard();
        component.checker = checker;
        context.registerService(ParamChecker.class, checker, null);
        task("hello", new TestTasks.Recording(), TestTasks.props("hello"));
        task("greet", new TestTasks.Recording(Inputs.of(Input.required("name"), Input.optional("greeting").defaultValue("hi"))),
                TestTasks.props("greet").queue("mail"));
        component.activate(context, Harness.config("minTaskProcessors", "0", "maxTaskProcessors", "0"));
    }

    @AfterEach
    void stopFramework() throws Exception {
        component.deactivate();
        framework.stop();
        framework.waitForStop(30_000);
    }

    /** A task service, as DS would register it and hand it to the task processor. */
    private void task(String name, Task task, TestTasks.Props props) {
        Map<String, Object> properties = props.build();
        ServiceRegistration<Task> registration = context.registerService(Task.class, task,
                FrameworkUtil.asDictionary(properties));
        Map<String, Object> withId = new HashMap<>(properties);
        withId.put(Constants.SERVICE_ID, registration.getReference().getProperty(Constants.SERVICE_ID));
        component.addTask(task, withId);
    }

    private int run(String... args) throws InterruptedException {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return new TaskEnqueueCommand(context).run(List.of(args), new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private String storage() {
        return String.valueOf(context.getServiceReference(TaskQueue.class).getProperty(TasksComponent.STORAGE_PROPERTY));
    }

    @Test
    void without_a_redis_tasks_connection_it_refuses_since_the_job_would_die_with_the_process() throws Exception {
        assertEquals("in-process", storage());

        assertEquals(1, run("--name", "hello", "--args", "{\"n\":1}"));

        assertTrue(err.toString().startsWith("no Redis is configured (REDIS_HOST, "), err.toString());
        assertEquals("", out.toString());
        assertEquals(1, run("--name", "hello", "--in", "x"));
        assertEquals("--in 'x' is not a delay in milliseconds (a whole number >= 0)\n", err.toString(),
                "bad arguments are refused before anything else");
    }

    @Test
    void on_redis_it_enqueues_validated_params_and_prints_the_job_or_why_not() throws Exception {
        try (RedisServer server = RedisServer.start();
                RedisConnections.Opened connection = Harness.connect(server, 5_000);
                RespClient redis = server.client()) {
            // the tasks connection as herald-redis publishes it
            ServiceReference<RedisConnection> tasks = context.registerService(RedisConnection.class, connection,
                    FrameworkUtil.asDictionary(Map.of(RedisConnection.NAME_PROPERTY, "tasks"))).getReference();
            assertEquals(1, run("--name", "hello"));
            assertTrue(err.toString().startsWith("the task processor does not use Redis after 300 ms (storage: in-process)"),
                    "the connection exists but the processor does not use it: " + err);

            component.bindRedis(tasks);
            assertEquals("redis", storage());

            assertEquals(0, run("--name", "hello", "--args", "{\"n\":6}"), err.toString());
            assertEquals("enqueued: {\"class\":\"hello\",\"queue\":\"default\",\"args\":[{\"n\":6}]}\n", out.toString());
            assertEquals(List.of("{\"class\":\"hello\",\"queue\":\"default\",\"args\":[{\"n\":6}]}"),
                    redis.callList("LRANGE", "resque:queue:default", "0", "-1"));

            assertEquals(0, run("--name", "greet", "--args", "{\"name\":\"ada\"}", "--in", "60000"), err.toString());
            assertTrue(out.toString().startsWith("scheduled for ")
                    && out.toString().endsWith("Z: {\"class\":\"greet\",\"queue\":\"mail\",\"args\":[{\"name\":\"ada\","
                            + "\"greeting\":\"hi\"}]}\n"), "the task's queue and defaults: " + out);
            assertEquals(1L, redis.callLong("ZCARD", "resque:delayed_queue_schedule"));

            assertEquals(1, run("--name", "greet", "--args", "{}"));
            assertEquals("task greet: name is a required parameter for this action\n", err.toString());
            assertEquals(1, run("--name", "nope"));
            assertEquals("unknown task nope: no task of that name runs in this role or in " + home.resolve("deploy")
                    + " (tasks: greet, hello)\n", err.toString());
            assertEquals(1L, redis.callLong("LLEN", "resque:queue:default"), "nothing more was enqueued");

            component.unbindRedis(tasks);
            assertEquals("in-process", storage());
        }
    }
}
