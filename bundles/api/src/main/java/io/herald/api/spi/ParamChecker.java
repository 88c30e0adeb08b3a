package io.herald.api.spi;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

import io.herald.api.Inputs;

/**
 * Applies declared inputs to params with the same rules actions get (defaults, formatters, validators, required),
 * for code outside the action processor that validates params: the task processor checks a job's params when it is
 * enqueued. Provided by the core, worded by its message catalogue.
 *
 * @since 1.2
 */
@ProviderType
public interface ParamChecker {

    /**
     * Applies defaults and formatters to {@code params} in place and checks validators and required inputs. Undeclared
     * params are left alone.
     *
     * @return {@code null} when the params pass, else the message naming the first problem (missing params before
     *     invalid ones, as Actionhero reports them)
     */
    String check(Inputs inputs, Map<String, Object> params);
}
