package io.herald.launcher.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.framework.Constants;

/**
 * The Felix launch properties: a throw-away cache, the system bundle exports, start levels, Configuration Admin's
 * persistence and FileInstall.
 *
 * <p>Start levels (libraries must be resolvable before the bundles that import them start): infrastructure (SCR, ConfigAdmin, FileInstall) 1, libraries 2, Herald
 * bundles 3, deploy/ bundles {@value #DEPLOY_START_LEVEL}. FileInstall polls the staged config every
 * {@value #POLL_MILLIS} ms; deploy/ is the launcher's own ({@code DeployDirectory}), not FileInstall's: a replaced jar is
 * installed beside the running version, which FileInstall's in-place update cannot do.
 */
final class FrameworkProperties {

    static final int DEPLOY_START_LEVEL = 4;
    static final int POLL_MILLIS = 300;

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
        // Configuration Admin keeps configurations in memory, not in files under the cache: they are staged again from
        // config/ at every start, and the cache is cleaned then, so writing them (at start, ~12 files) and deleting them
        // (at the next) only cost start-up time.
        properties.put("felix.cm.pm", "memory");
        // A deploy/ jar's new version runs beside the old one until it has proved itself, even when it kept the
        // symbolic name and version (a rebuilt SNAPSHOT): DeployTransaction.
        properties.put(Constants.FRAMEWORK_BSNVERSION, Constants.FRAMEWORK_BSNVERSION_MULTIPLE);

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
}
