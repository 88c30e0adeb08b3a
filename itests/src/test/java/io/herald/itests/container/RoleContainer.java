package io.herald.itests.container;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemPackages;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.ops4j.pax.exam.Option;

/**
 * Pax Exam options for a Felix that runs one node role: the role's bundles at their start levels (see
 * {@link RoleBundles}) and what the launcher would otherwise give them from its class path.
 */
final class RoleContainer {

    private RoleContainer() {
    }

    /**
     * @param role  a role feature: web, worker, all
     * @param title the node's id; its home is {@code target/paxexam/<title>} (pidfile, FileInstall's empty directory)
     */
    static Option[] options(String role, String title, Option... extra) {
        Path home = Path.of("target", "paxexam", title).toAbsolutePath();
        List<Option> options = new ArrayList<>();
        options.add(junitBundles());
        // Logging comes from the class path through the system bundle, as under the launcher; org.slf4j at 1.7.36 too,
        // since Jedis and redis-authx-core import [1.7,2).
        options.add(systemPackages("org.slf4j;version=2.0.17", "org.slf4j;version=1.7.36", "org.slf4j.spi;version=2.0.17",
                "org.slf4j.event;version=2.0.17", "org.slf4j.helpers;version=2.0.17"));
        // Pax Exam's own logging bundle would take over java.util.logging for the whole JVM and print the JDK HTTP
        // client's DEBUG traces; it reports WARN and above only.
        options.add(frameworkProperty("org.ops4j.pax.logging.skipJUL").value("true"));
        options.add(frameworkProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"));
        // Another Felix may run in this JVM: its URL handlers are JVM-global.
        options.add(frameworkProperty("felix.service.urlhandlers").value("false"));
        // FileInstall is part of every role; without a directory it would create ./load in the working directory.
        options.add(frameworkProperty("felix.fileinstall.dir").value(home.resolve("config").toString()));
        options.add(frameworkProperty("felix.fileinstall.enableConfigSave").value("false"));
        options.add(systemProperty("herald.home").value(home.toString()));
        options.add(systemProperty("herald.title").value(title));
        // The distribution exports the DS API from the launcher's class path; here it is a bundle, from Maven.
        options.add(mavenBundle("org.osgi", "org.osgi.service.component", "1.5.1").startLevel(1));
        for (RoleBundles.RoleBundle bundle : RoleBundles.of(role)) {
            options.add(bundle(bundle.jar().toUri().toString()).startLevel(bundle.startLevel()));
        }
        options.addAll(List.of(extra));
        return options.toArray(new Option[0]);
    }
}
