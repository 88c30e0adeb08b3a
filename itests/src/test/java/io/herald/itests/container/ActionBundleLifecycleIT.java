package io.herald.itests.container;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemPackages;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.inject.Inject;

import io.herald.api.spi.ActionRequest;
import io.herald.api.spi.ActionResult;
import io.herald.api.spi.ActionRunner;
import io.herald.api.spi.Outcome;
import io.herald.api.spi.TransportConnection;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * In the container (Pax Exam, Felix): the core's whiteboard picks up an action bundle installed at run time and lets it
 * go when the bundle is uninstalled. Bundles come from the built distribution, as a node installs them.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ActionBundleLifecycleIT {

    private static final Path BUNDLES = Path.of(System.getProperty("herald.distribution", "../distribution/target/herald"),
            "bundle").toAbsolutePath().normalize();

    @Inject
    private BundleContext context;

    @Inject
    private ActionRunner runner;

    @Configuration
    public Option[] config() {
        List<Option> options = new ArrayList<>();
        options.add(junitBundles());
        // Logging comes from the class path through the system bundle, as under the launcher; org.slf4j at 1.7.36 too,
        // since Jedis and redis-authx-core import [1.7,2).
        options.add(systemPackages("org.slf4j;version=2.0.17", "org.slf4j;version=1.7.36", "org.slf4j.spi;version=2.0.17",
                "org.slf4j.event;version=2.0.17", "org.slf4j.helpers;version=2.0.17"));
        options.add(frameworkProperty("felix.service.urlhandlers").value("false"));
        options.add(systemProperty("herald.example.jar").value(System.getProperty("herald.example.jar", "")));
        options.add(systemProperty("herald.home").value(System.getProperty("java.io.tmpdir")));
        options.add(systemProperty("herald.title").value("paxexam"));
        // The distribution exports the DS API from the launcher's class path; here it is a bundle, from Maven.
        options.add(mavenBundle("org.osgi", "org.osgi.service.component", "1.5.1"));
        for (String prefix : new String[] {"org.osgi.util.function-", "org.osgi.util.promise-",
                "org.apache.felix.scr-", "org.apache.felix.configadmin-", "jackson-annotations-", "jackson-core-",
                "jackson-databind-", "jackson-datatype-jsr310-", "jackson-datatype-jdk8-", "herald-api-", "herald-core-"}) {
            options.add(bundle(jar(prefix).toUri().toString()));
        }
        return options.toArray(new Option[0]);
    }

    private static Path jar(String prefix) {
        File[] found = BUNDLES.toFile().listFiles((dir, name) -> name.startsWith(prefix) && name.endsWith(".jar"));
        if (found == null || found.length != 1) {
            throw new IllegalStateException("expected one " + prefix + "*.jar in " + BUNDLES + ": build the distribution");
        }
        return found[0].toPath();
    }

    private ActionResult call(String action) {
        TransportConnection connection = new TransportConnection("it", "inProcess", "127.0.0.1", 0, "it");
        return runner.run(ActionRequest.of(action, Map.of("message", "in the container"), connection));
    }

    @Test
    public void an_action_bundle_installed_at_run_time_is_served_and_goes_when_uninstalled() throws Exception {
        assertEquals(Outcome.COMPLETE, call("status").outcome());
        assertEquals(Outcome.UNKNOWN_ACTION, call("echo").outcome());

        Bundle hello = context.installBundle(new File(System.getProperty("herald.example.jar")).toURI().toString());
        hello.start();
        ActionResult echo = awaitOutcome("echo", Outcome.COMPLETE);
        assertEquals("in the container", echo.response().get("message"));
        assertTrue(runner.actions().stream().anyMatch(a -> a.name().equals("randomNumber")));

        hello.uninstall();
        awaitOutcome("echo", Outcome.UNKNOWN_ACTION);
        assertTrue(runner.actions().stream().noneMatch(a -> a.name().equals("randomNumber")));
    }

    private ActionResult awaitOutcome(String action, Outcome expected) throws InterruptedException {
        ActionResult last = null;
        for (int i = 0; i < 200; i++) {
            last = call(action);
            if (last.outcome() == expected) {
                return last;
            }
            Thread.sleep(25);
        }
        throw new AssertionError(action + " still ended " + (last == null ? "nothing" : last.outcome() + " " + last.response()));
    }
}
