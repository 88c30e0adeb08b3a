package io.herald.launcher.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.framework.Constants;

/**
 * The Felix launch properties: a throw-away cache, the system bundle exports, start levels and FileInstall.
 *
 * <p>Start levels (osgi-stack-notes P2): infrastructure (SCR, ConfigAdmin, FileInstall) 1, libraries 2, Herald
 * bundles 3, deploy/ bundles {@value #DEPLOY_START_LEVEL}. FileInstall polls every {@value #POLL_MILLIS} ms:
 * it waits one extra poll before installing a new file (P15), so a jar dropped into deploy/ runs within
 * about one second.
 */
final class FrameworkProperties {

    static final int DEPLOY_START_LEVEL = 4;
    static final int POLL_MILLIS = 300;
    /** FileInstall's factory PID: one configuration per extra watched directory, as Karaf does for deploy/. */
    static final String DEPLOY_WATCHER_PID = "org.apache.felix.fileinstall-deploy";

    private FrameworkProperties() {
    }

    /**
     * @param overrides system properties of the JVM; any {@code felix.*} or {@code org.osgi.framework.*}
     *                  among them replaces the computed value, for tuning without a rebuild
     */
    static Map<String, String> of(Layout layout, String systemPackagesExtra, Map<String, String> overrides) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(Constants.FRAMEWORK_STORAGE, layout.frameworkCache().toString());
        // State comes only from bundle/, deploy/ and config/: nothing survives a restart by accident.
        properties.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        properties.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, systemPackagesExtra);
        properties.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, Integer.toString(DEPLOY_START_LEVEL));
        properties.put("felix.startlevel.bundle", Integer.toString(DEPLOY_START_LEVEL));
        properties.put("felix.log.level", "2");

        properties.put("felix.fileinstall.dir", layout.stagedConfigDir().toString());
        properties.put("felix.fileinstall.filter", ".*\\.cfg");
        properties.put("felix.fileinstall.poll", Integer.toString(POLL_MILLIS));
        properties.put("felix.fileinstall.noInitialDelay", "true");
        // The staged directory is the launcher's output: FileInstall must never write back into it.
        properties.put("felix.fileinstall.enableConfigSave", "false");
        properties.put("felix.fileinstall.log.level", "2");

        overrides.forEach((key, value) -> {
            if (key.startsWith("felix.") || key.startsWith("org.osgi.framework.")) {
                properties.put(key, value);
            }
        });
        return properties;
    }

    /** The factory configuration that makes FileInstall watch deploy/ for bundles (staged like any PID). */
    static Map<String, String> deployWatcher(Layout layout) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("felix.fileinstall.dir", layout.deployDir().toString());
        config.put("felix.fileinstall.filter", ".*\\.jar");
        config.put("felix.fileinstall.poll", Integer.toString(POLL_MILLIS));
        config.put("felix.fileinstall.noInitialDelay", "true");
        config.put("felix.fileinstall.bundles.new.start", "true");
        config.put("felix.fileinstall.start.level", Integer.toString(DEPLOY_START_LEVEL));
        config.put("felix.fileinstall.log.level", "2");
        return config;
    }
}
