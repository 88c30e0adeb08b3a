package io.herald.middleware.auth.example;

import java.util.Map;

import io.herald.api.Action;
import io.herald.api.ActionContext;
import io.herald.api.ActionDefinition;
import io.herald.middleware.auth.Sessions;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The README's logout action, as written there (tested by LoginExampleTest). */
@Component
@ActionDefinition(name = "logout", description = "I end the caller's session on every node")
public class Logout implements Action {

    @Reference
    Sessions sessions;

    @Override
    public Object run(ActionContext context) {
        return Map.of("loggedOut", sessions.close(context));
    }
}
