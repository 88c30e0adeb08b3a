package io.herald.tasks.internal.admin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.herald.api.Connection;
import io.herald.api.Input;
import io.herald.api.Inputs;
import io.herald.api.spi.ActionRequest;
import io.herald.api.spi.ActionResult;
import io.herald.api.spi.ActionRunner;
import io.herald.api.spi.TransportConnection;
import io.herald.api.task.Task;
import io.herald.api.task.TaskContext;
import io.herald.api.task.TaskDefinition;

/**
 * Runs an action from a queue, as Actionhero's built-in {@code runAction} task ({@code src/tasks/runAction.ts}): the
 * job's params name the action ({@code action}, optionally {@code apiVersion}) and carry its params. The action runs
 * through the whole pipeline (middleware, input validation) on an in-process connection; an action that fails fails
 * the job, so its error lands in the failed queue instead of vanishing in a log.
 */
@Component
@TaskDefinition(name = "runAction", description = "I run an action from the queue with the params of the job")
public final class RunActionTask implements Task {

    private final ActionRunner actions;

    @Activate
    public RunActionTask(@Reference ActionRunner actions) {
        this.actions = actions;
    }

    @Override
    public Inputs inputs() {
        return Inputs.of(Input.required("action").description("the name of the action to run"));
    }

    @Override
    public Object run(TaskContext context) throws ActionFailedException {
        Map<String, Object> params = new LinkedHashMap<>(context.params());
        String action = String.valueOf(params.get("action"));
        Connection connection = new TransportConnection("task-" + UUID.randomUUID(), Connection.IN_PROCESS, "127.0.0.1", 0,
                context.workerName());
        ActionResult result = actions.run(ActionRequest.of(action, params, connection));
        if (!result.isSuccess()) {
            throw new ActionFailedException(action, result.status(), result.error());
        }
        return result.response();
    }

    /** The action the job named answered with an error. */
    public static final class ActionFailedException extends Exception {

        private static final long serialVersionUID = 1L;

        ActionFailedException(String action, int status, String error) {
            super("action " + action + " failed with status " + status + ": " + error);
        }
    }
}
