package io.herald.example.hello;

import java.util.Map;

import io.herald.api.Action;
import io.herald.api.ActionContext;
import io.herald.api.ActionDefinition;
import io.herald.api.Caller;

import org.osgi.service.component.annotations.Component;

@Component
@ActionDefinition(name = "whoAmI", description = "I tell an authenticated caller who it is", authenticated = true)
public class WhoAmI implements Action {

    @Override
    public Object run(ActionContext context) {
        Caller caller = context.caller().orElseThrow();
        return Map.of("id", caller.id(), "roles", caller.roles(), "scheme", caller.scheme());
    }
}
