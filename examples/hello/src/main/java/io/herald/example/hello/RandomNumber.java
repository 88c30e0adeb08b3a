package io.herald.example.hello;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.herald.api.Action;
import io.herald.api.ActionContext;
import io.herald.api.ActionDefinition;

import org.osgi.service.component.annotations.Component;

@Component
@ActionDefinition(name = "randomNumber", description = "I generate a random number",
        outputExample = "{\"randomNumber\":0.123,\"stringRandomNumber\":\"Your random number is 0.123\"}")
public class RandomNumber implements Action {

    @Override
    public Object run(ActionContext context) {
        double number = ThreadLocalRandom.current().nextDouble();
        return Map.of("randomNumber", number, "stringRandomNumber", "Your random number is " + number);
    }
}
