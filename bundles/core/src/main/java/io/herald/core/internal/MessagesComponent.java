package io.herald.core.internal;

import java.util.Map;

import io.herald.api.spi.HeraldError;
import io.herald.api.spi.Messages;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;

/**
 * Publishes the catalogue of user-facing messages, reworded by the optional configuration PID {@code io.herald.errors}
 * (one key per catalogue entry, e.g. {@code UNKNOWN_ACTION = no such endpoint}).
 */
@Component(service = Messages.class, configurationPid = "io.herald.errors", configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class MessagesComponent implements Messages {

    private volatile Messages catalogue;

    @Activate
    @Modified
    void configure(Map<String, Object> properties) {
        catalogue = MessageCatalogue.withOverrides(properties);
    }

    @Override
    public String format(HeraldError error, Object... args) {
        return catalogue.format(error, args);
    }
}
