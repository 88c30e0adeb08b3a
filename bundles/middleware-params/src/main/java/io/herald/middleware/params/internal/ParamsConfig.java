package io.herald.middleware.params.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The configuration of param filtering and limits, PID {@code io.herald.middleware.params} (file
 * {@code config/io.herald.middleware.params.cfg}). Types and minimums are what the launcher checks a staged value
 * against; {@link ParamsSettings} checks the same again for configurations that do not come through the launcher.
 */
@ObjectClassDefinition(name = "Herald param filtering",
        description = "Secret params and responses filtered out of logs (Actionhero's filteredParams and filteredResponse), "
                + "and limits on the params of a call.")
public @interface ParamsConfig {

    @AttributeDefinition(description = "false: no filtering and no limits; the core then logs param names without their "
            + "values. Applies within a second on a running node.")
    boolean enabled() default true;

    @AttributeDefinition(description = "Params whose values are logged as [FILTERED], at any depth: names and globs with * "
            + "(*Token), comma-separated, any case.")
    String[] filtered() default { "password", "passwordConfirmation", "token", "secret", "apiKey", "authorization",
        "*Secret", "*Token", "*Password" };

    @AttributeDefinition(description = "Response keys whose values are rendered as [FILTERED] where a response is logged: "
            + "names and globs, comma-separated, any case.")
    String[] filteredResponse() default {};

    @AttributeDefinition(description = "Characters of a string rendered in a log line before it is cut "
            + "(Actionhero's maxLogStringLength).", min = "1")
    int maxLogStringLength() default 256;

    @AttributeDefinition(description = "Items of a list rendered in a log line before it is cut "
            + "(Actionhero's maxLogArrayLength).", min = "1")
    int maxLogArrayLength() default 10;

    @AttributeDefinition(description = "Levels of nested objects and lists rendered in a log line.", min = "1",
            max = "1000")
    int maxLogDepth() default 8;

    @AttributeDefinition(description = "Params a call may have; more are refused with 422.", min = "1")
    int maxParams() default 100;

    @AttributeDefinition(description = "Bytes (UTF-8) of the strings of one param (its name, value, and nested keys and "
            + "strings); more are refused with 422.", min = "1")
    long maxParamLength() default 65536;

    @AttributeDefinition(description = "Levels of objects and lists nested in one param's value; more are refused with 422.",
            min = "1", max = "1000")
    int maxParamDepth() default 32;
}
