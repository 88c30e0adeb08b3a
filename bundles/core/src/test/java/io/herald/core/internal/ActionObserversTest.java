package io.herald.core.internal;

import static io.herald.core.internal.TestActions.call;
import static io.herald.core.internal.TestActions.props;
import static io.herald.core.internal.TestActions.returning;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.herald.api.ActionException;
import io.herald.api.spi.ActionObserver;
import io.herald.api.spi.ActionResult;
import io.herald.api.spi.Messages;
import io.herald.api.spi.Outcome;

import org.junit.jupiter.api.Test;

/** Observers see every call's result, refusals and failures too, and cannot change one. */
class ActionObserversTest {

    private final Pipeline pipeline = new Pipeline(Messages.defaults(), ProcessorSettings.defaults());
    private final List<ActionResult> seen = new CopyOnWriteArrayList<>();
    private final ActionObserver recording = (result, connection) -> seen.add(result);

    @Test
    void an_observer_sees_successes_client_errors_failures_and_unknown_actions() {
        pipeline.addAction(returning(Map.of("ok", true)), props("fine", 1), 1);
        pipeline.addAction(context -> {
            throw new ActionException(422, "no");
        }, props("refuses", 1), 2);
        pipeline.addObserver(recording);

        ActionResult fine = pipeline.runner().run(call("fine"));
        pipeline.runner().run(call("refuses"));
        pipeline.runner().run(call("nosuchaction"));

        assertEquals(3, seen.size());
        assertSame(fine, seen.get(0), "the observer gets the very result the transport writes");
        assertEquals(Outcome.GENERIC_ERROR, seen.get(1).outcome());
        assertEquals(422, seen.get(1).status());
        assertEquals(Outcome.UNKNOWN_ACTION, seen.get(2).outcome());
        assertEquals(0, seen.get(2).version(), "no registered action ran");
    }

    @Test
    void a_failing_observer_changes_nothing_and_a_removed_one_is_told_nothing() {
        pipeline.addAction(returning(Map.of("ok", true)), props("fine", 1), 1);
        ActionObserver broken = (result, connection) -> {
            throw new IllegalStateException("observer bug");
        };
        pipeline.addObserver(broken);
        pipeline.addObserver(recording);

        assertEquals(Outcome.COMPLETE, pipeline.runner().run(call("fine")).outcome());
        assertEquals(1, seen.size(), "the observer after the broken one is still told");

        pipeline.removeObserver(recording);
        pipeline.runner().run(call("fine"));
        assertEquals(1, seen.size());
    }
}
