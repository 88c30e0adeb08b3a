package ${package};

import java.util.Map;

import io.herald.api.Action;
import io.herald.api.ActionContext;
import io.herald.api.ActionDefinition;
import io.herald.api.Input;
import io.herald.api.Inputs;

import org.osgi.service.component.annotations.Component;

@Component
@ActionDefinition(name = "echo", description = "I echo the message you send")
public class Echo implements Action {

    @Override
    public Inputs inputs() {
        return Inputs.of(Input.required("message"));
    }

    @Override
    public Object run(ActionContext context) {
        return Map.of("message", context.param("message"));
    }
}
