package io.herald.dashboard.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The configuration of the dashboard, PID {@value DashboardComponent#PID} (file {@code config/io.herald.dashboard.cfg}).
 */
@ObjectClassDefinition(name = "Herald queue dashboard",
        description = "A page of queues, workers, failed, delayed and recurring jobs and locks on the web server's port "
                + "(resque-web, Actionhero's ah-resque-ui); its data comes from the resque:* actions, which need the admin role.")
public @interface DashboardConfig {

    @AttributeDefinition(description = "true: the page is served (ENABLE_DASHBOARD); off by default, as an admin page "
            + "should be asked for.")
    boolean enabled() default false;

    @AttributeDefinition(description = "The page's path on the web server's port.")
    String path() default "/resque";

    @AttributeDefinition(description = "Where the web server answers actions (its urlPathForActions): the page calls "
            + "<apiPath>/resque:details and the like.")
    String apiPath() default "/api";

    @AttributeDefinition(min = "0", description = "Seconds between the page's refreshes; 0: only on request.")
    int refreshSeconds() default 5;
}
