package io.herald.core.internal;

import java.util.Map;

import org.osgi.annotation.bundle.Header;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.cm.ConfigurationPlugin;

/**
 * Registers {@link PublicSecretsPlugin} when the core starts. An activator, not a component: it runs before SCR
 * activates the bundle's components (SCR acts on the bundle once it has started), so the plugin is there when they read
 * {@code io.herald.core} for the first time.
 */
@Header(name = Constants.BUNDLE_ACTIVATOR, value = "${@class}")
public final class CoreActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        context.registerService(ConfigurationPlugin.class, new PublicSecretsPlugin(),
                FrameworkUtil.asDictionary(Map.of(ConfigurationPlugin.CM_TARGET,
                        new String[] {PublicSecretsPlugin.TARGET_PID})));
    }

    @Override
    public void stop(BundleContext context) {
        // the framework unregisters the plugin with the bundle
    }
}
