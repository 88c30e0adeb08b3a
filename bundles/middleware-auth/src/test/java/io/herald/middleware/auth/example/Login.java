package io.herald.middleware.auth.example;

import java.util.Map;

import io.herald.api.Action;
import io.herald.api.ActionContext;
import io.herald.api.ActionDefinition;
import io.herald.api.ActionException;
import io.herald.api.Input;
import io.herald.api.Inputs;
import io.herald.middleware.auth.Sessions;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The README's login action, as written there (tested by LoginExampleTest). */
@Component
@ActionDefinition(name = "login", description = "I open a session for a user whose password checks out")
public class Login implements Action {

    @Reference
    Sessions sessions;

    @Reference
    Users users; // the application's own user store

    @Override
    public Inputs inputs() {
        return Inputs.of(Input.required("email"), Input.required("password"));
    }

    @Override
    public Object run(ActionContext context) {
        Users.User user = users.check(context.param("email", String.class), context.param("password", String.class))
                .orElseThrow(() -> new ActionException(401, "unknown email or wrong password"));
        sessions.open(context, user.id(), user.roles());
        return Map.of("user", user.id());
    }
}
