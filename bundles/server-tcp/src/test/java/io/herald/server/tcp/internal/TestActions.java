package io.herald.server.tcp.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.herald.api.Action;
import io.herald.api.ActionContext;
import io.herald.api.ActionDefinition;
import io.herald.api.Input;
import io.herald.api.Inputs;
import io.herald.core.ActionPipeline;

/** Actions for the tests, run by the core's real pipeline. */
final class TestActions {

    private TestActions() {
    }

    /** A pipeline with {@code echo}, {@code add} and {@code slow}. */
    static ActionPipeline pipeline(Slow slow) {
        return ActionPipeline.builder().action(new Echo()).action(new Add()).action(slow).build();
    }

    @ActionDefinition(name = "echo", description = "I answer with my params and connection")
    static final class Echo implements Action {

        @Override
        public Inputs inputs() {
            return Inputs.of(Input.optional("message").description("what to echo"), Input.optional("token"));
        }

        @Override
        public Object run(ActionContext context) {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("params", new LinkedHashMap<>(context.params()));
            answer.put("connectionType", context.connection().type());
            answer.put("connectionId", context.connection().id());
            return answer;
        }
    }

    @ActionDefinition(name = "add", description = "I add a and b")
    static final class Add implements Action {

        @Override
        public Inputs inputs() {
            return Inputs.of(Input.required("a"), Input.required("b"));
        }

        @Override
        public Object run(ActionContext context) {
            return Map.of("sum", context.param("a", Integer.class) + context.param("b", Integer.class));
        }
    }

    /** Blocks until released, to keep a call in flight. */
    @ActionDefinition(name = "slow", description = "I wait until the test releases me")
    static final class Slow implements Action {

        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public Object run(ActionContext context) throws Exception {
            started.countDown();
            if (!release.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
            return Map.of("slow", "done");
        }
    }
}
