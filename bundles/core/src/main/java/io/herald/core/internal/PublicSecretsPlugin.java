package io.herald.core.internal;

import java.util.Collections;
import java.util.Dictionary;

import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationPlugin;

/**
 * Takes a secret written under its public key ({@code serverToken} instead of {@code .serverToken}) out of the
 * {@code io.herald.core} configuration before Declarative Services sees it, leaving only the key's name under the
 * private {@value #REFUSED_KEY}; the components then refuse the configuration ({@link CoreSettings#read}).
 *
 * <p>Refusing in the components alone would not keep the secret out of the service registry: DS publishes a
 * modification's properties even when the modified method throws, and Felix SCR keeps the service of a component whose
 * activation failed registered, with the refused properties. SCR reads configurations through
 * {@code Configuration.getProcessedProperties} (ConfigAdmin 1.6, 104.9.3), which runs this plugin first.
 */
final class PublicSecretsPlugin implements ConfigurationPlugin {

    /** Private (leading dot): holds the public key a secret was found under. */
    static final String REFUSED_KEY = ".herald.publicSecretKey";

    /** The PID this plugin looks at ({@code cm.target}). */
    static final String TARGET_PID = "io.herald.core";

    @Override
    public void modifyConfiguration(ServiceReference<?> reference, Dictionary<String, Object> properties) {
        for (String key : Collections.list(properties.keys())) {
            if (CoreSettings.isPublicSecret(key)) {
                properties.remove(key);
                properties.put(REFUSED_KEY, key);
            }
        }
    }
}
