package io.herald.bench;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.herald.api.Action;
import io.herald.api.ActionContext;
import io.herald.api.ActionDefinition;
import io.herald.api.ActionInvocation;
import io.herald.api.ActionMiddleware;
import io.herald.api.Formatters;
import io.herald.api.Input;
import io.herald.api.Inputs;
import io.herald.api.MiddlewareDefinition;
import io.herald.api.spi.ActionRequest;
import io.herald.api.spi.ActionResult;
import io.herald.api.spi.TransportConnection;
import io.herald.core.ActionPipeline;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The core's per-call cost, without any transport: one call of {@code echo} through the whole pipeline (version lookup,
 * scrubbing, inputs, the action, the result and its log line, written nowhere), alone and with a formatter, a validator
 * and two middleware. The baseline calls the action directly.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ActionPipelineBenchmark {

    @ActionDefinition(name = "echo")
    public static class Echo implements Action {
        @Override
        public Inputs inputs() {
            return Inputs.of(Input.required("message"));
        }

        @Override
        public Object run(ActionContext context) {
            return Map.of("message", context.param("message"));
        }
    }

    @ActionDefinition(name = "sum", middleware = "audit")
    public static class Sum implements Action {
        @Override
        public Inputs inputs() {
            return Inputs.of(Input.required("a").formatter(Formatters.INTEGER).validator(v -> (Integer) v >= 0),
                    Input.optional("b").formatter(Formatters.INTEGER).defaultValue(1));
        }

        @Override
        public Object run(ActionContext context) {
            return Map.of("sum", (Integer) context.param("a") + (Integer) context.param("b"));
        }
    }

    @MiddlewareDefinition(name = "audit")
    public static class Audit implements ActionMiddleware {
        @Override
        public void postProcess(ActionInvocation invocation) {
            invocation.response().put("audited", true);
        }
    }

    @MiddlewareDefinition(name = "timing", global = true, priority = 10)
    public static class Timing implements ActionMiddleware {
        @Override
        public void preProcess(ActionInvocation invocation) {
            invocation.params().putIfAbsent("receivedAt", 0L);
        }
    }

    private final ActionPipeline plain = ActionPipeline.builder().action(new Echo()).build();
    private final ActionPipeline withMiddleware = ActionPipeline.builder().action(new Sum()).middleware(new Audit())
            .middleware(new Timing()).build();
    private final Echo direct = new Echo();
    private final TransportConnection connection = new TransportConnection("bench", "web", "127.0.0.1", 1, "bench");
    private final Map<String, Object> echoParams = Map.of("message", "hello");
    private final Map<String, Object> sumParams = Map.of("a", "20", "b", "22");

    @Benchmark
    public Object baseline_action_called_directly() throws Exception {
        return direct.run(new ActionContext() {
            public io.herald.api.ActionDescriptor action() {
                return null;
            }

            public Map<String, Object> params() {
                return echoParams;
            }

            public <T> T param(String name, Class<T> type) {
                return type.cast(echoParams.get(name));
            }

            public io.herald.api.Connection connection() {
                return connection;
            }

            public void setStatus(int status) {
            }

            public void setHeader(String name, String value) {
            }
        });
    }

    @Benchmark
    public ActionResult echo_through_the_pipeline() {
        return plain.run(ActionRequest.of("echo", echoParams, connection));
    }

    @Benchmark
    public ActionResult sum_with_formatters_validator_and_two_middleware() {
        return withMiddleware.run(ActionRequest.of("sum", sumParams, connection));
    }

    @Benchmark
    public ActionResult unknown_action() {
        return plain.run(ActionRequest.of("nope", echoParams, connection));
    }
}
