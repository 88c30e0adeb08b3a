package io.herald.bench.tasks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.herald.api.Action;
import io.herald.api.ActionContext;
import io.herald.api.ActionDefinition;
import io.herald.api.Formatters;
import io.herald.api.Input;
import io.herald.api.Inputs;
import io.herald.api.task.TaskQueue;

/**
 * Enqueues {@code count} noop jobs from {@code callers} threads through the public {@link TaskQueue} (params
 * validated, plugins and middleware run, as any caller's jobs) and answers with the elapsed time. Each job carries a
 * distinct {@code n}, as real jobs carry distinct params.
 */
@Component
@ActionDefinition(name = "bench:enqueue", description = "I enqueue count noop jobs from callers threads and time it")
public final class EnqueueManyAction implements Action {

    private final TaskQueue tasks;

    @Activate
    public EnqueueManyAction(@Reference TaskQueue tasks) {
        this.tasks = tasks;
    }

    @Override
    public Inputs inputs() {
        return Inputs.of(Input.optional("count").defaultValue(10_000).formatter(Formatters.INTEGER),
                Input.optional("callers").defaultValue(16).formatter(Formatters.INTEGER));
    }

    @Override
    public Object run(ActionContext context) throws Exception {
        int count = (Integer) context.param("count");
        int callers = (Integer) context.param("callers");
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            long started = System.nanoTime();
            List<Future<Integer>> done = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                int first = c;
                done.add(pool.submit(() -> {
                    int enqueued = 0;
                    for (int n = first; n < count; n += callers) {
                        if (tasks.enqueue("noop", Map.of("n", n), queue)) {
                            enqueued++;
                        }
                    }
                    return enqueued;
                }));
            }
            int enqueued = 0;
            for (Future<Integer> f : done) {
                enqueued += f.get();
            }
            long elapsedNanos = System.nanoTime() - started;
            return Map.of("enqueued", enqueued, "elapsedMillis", elapsedNanos / 1_000_000.0,
                    "perSecond", Math.round(enqueued / (elapsedNanos / 1e9)));
        } finally {
            pool.shutdownNow();
        }
    }
}
