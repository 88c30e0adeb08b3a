package io.herald.core.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.herald.api.Inputs;
import io.herald.api.spi.Messages;
import io.herald.api.spi.ParamChecker;

/** The action processor's param rules, offered to other bundles (the task processor validates at enqueue time). */
@Component(service = ParamChecker.class)
public final class ParamCheckerComponent implements ParamChecker {

    private final Messages messages;

    @Activate
    public ParamCheckerComponent(@Reference Messages messages) {
        this.messages = messages;
    }

    @Override
    public String check(Inputs inputs, Map<String, Object> params) {
        ParamValidation.Problem problem = ParamValidation.apply(inputs, params);
        return problem == null ? null : messages.format(problem.error(), problem.args());
    }
}
