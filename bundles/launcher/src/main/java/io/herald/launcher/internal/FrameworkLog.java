package io.herald.launcher.internal;

import org.apache.felix.framework.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.slf4j.LoggerFactory;

/**
 * Sends Felix's own log messages to slf4j (logger {@code org.apache.felix.framework}) instead of stdout.
 *
 * <p>While the launcher brings the role up it reports every bundle that fails, with the reason, itself; during
 * that phase Felix's messages about a specific bundle go to DEBUG so the console does not show each problem
 * twice. Afterwards (hot deploys, refreshes) they are logged at their own level.
 */
final class FrameworkLog extends Logger {

    private volatile boolean launcherReportsBundleErrors = true;

    FrameworkLog() {
        setLogLevel(LOG_WARNING);
    }

    /** Called once the start has been verified: from then on, bundle errors are only Felix's to log. */
    void startupVerified() {
        launcherReportsBundleErrors = false;
    }

    @Override
    protected void doLog(Bundle bundle, ServiceReference sr, int level, String msg, Throwable throwable) {
        org.slf4j.Logger log = LoggerFactory.getLogger("org.apache.felix.framework");
        String text = bundle == null ? msg : msg + " [bundle " + bundle.getSymbolicName() + "]";
        if (bundle != null && launcherReportsBundleErrors) {
            log.debug(text, throwable);
            return;
        }
        switch (level) {
            case LOG_ERROR -> log.error(text, throwable);
            case LOG_WARNING -> log.warn(text, throwable);
            case LOG_INFO -> log.info(text, throwable);
            default -> log.debug(text, throwable);
        }
    }
}
