package io.cameldlq.cli;

import java.util.Optional;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;

import io.cameldlq.CamelDlqApplication;

/**
 * Reads {@code application.properties} for the commands exactly as the pipeline does: system properties
 * and environment variables first, then the working directory's file, then the packaged one.
 */
final class ClientSettings implements AutoCloseable {

    private final CamelContext context;
    private final PropertiesComponent properties;

    ClientSettings() {
        context = new DefaultCamelContext(false);
        properties = context.getPropertiesComponent();
        properties.setLocation(CamelDlqApplication.PROPERTIES_LOCATIONS);
        context.build();
    }

    Optional<String> get(String key) {
        return properties.resolveProperty(key).map(String::trim).filter(value -> !value.isEmpty());
    }

    @Override
    public void close() {
        context.stop();
    }
}
