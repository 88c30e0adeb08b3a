package io.herald.launcher.spi;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What runs from {@code deploy/}: a service the launcher registers in the framework (from the system bundle) while a
 * node runs. The core's {@code status} action shows it ({@code deployments}, and a problem per refused file).
 *
 * <p>The launcher deploys in transactions: a new, replaced or removed jar (or a set of jars copied together) is
 * resolved, started and its components checked before it replaces anything, so a jar that cannot run is refused and
 * the version that ran before it keeps serving.
 *
 * @since 1.0
 */
@ProviderType
public interface Deployments {

    /** One entry per file of {@code deploy/}, and per bundle still running from a file that is gone, by file name. */
    List<Deployment> deployments();
}
