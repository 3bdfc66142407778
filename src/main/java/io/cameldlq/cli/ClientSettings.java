package io.cameldlq.cli;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.PropertyBindingSupport;
import org.apache.camel.util.StringHelper;

import io.cameldlq.CamelDlqApplication;
import io.cameldlq.config.InvalidSettingException;

/**
 * Reads {@code application.properties} for the commands exactly as the pipeline does: system properties
 * and environment variables first, then the working directory's file, then the packaged one.
 */
final class ClientSettings implements AutoCloseable {

    private static final String KAFKA_PREFIX = "camel.component.kafka.";
    private static final String KAFKA_ENVIRONMENT_PREFIX = "CAMEL_COMPONENT_KAFKA_";

    private final CamelContext context;
    private final PropertiesComponent properties;

    ClientSettings() {
        context = new DefaultCamelContext(false);
        properties = context.getPropertiesComponent();
        properties.setLocation(CamelDlqApplication.PROPERTIES_LOCATIONS);
        context.build();
    }

    /**
     * Returns the camel-kafka component configuration that {@code camel.component.kafka.*} keys set, from
     * any source, so that commands connect with the routes' brokers and security settings.
     */
    KafkaConfiguration kafkaConfiguration() {
        Set<String> keys = new TreeSet<>();
        properties.loadProperties(key -> key.startsWith(KAFKA_PREFIX)).stringPropertyNames().forEach(keys::add);
        System.getProperties().stringPropertyNames().stream().filter(key -> key.startsWith(KAFKA_PREFIX))
                .forEach(keys::add);
        System.getenv().keySet().stream().filter(name -> name.startsWith(KAFKA_ENVIRONMENT_PREFIX))
                .map(name -> KAFKA_PREFIX + name.substring(KAFKA_ENVIRONMENT_PREFIX.length())
                        .toLowerCase(Locale.ROOT).replace('_', '-'))
                .forEach(keys::add);

        Map<String, Object> options = new LinkedHashMap<>();
        for (String key : keys) {
            get(key).ifPresent(value -> options.put(
                    StringHelper.dashToCamelCase(key.substring(KAFKA_PREFIX.length())), value));
        }
        KafkaConfiguration configuration = new KafkaConfiguration();
        PropertyBindingSupport.build().withCamelContext(context).withTarget(configuration)
                .withProperties(options).withIgnoreCase(true).bind();
        if (!options.isEmpty()) {
            throw new InvalidSettingException("Unknown camel-kafka options: " + options.keySet());
        }
        return configuration;
    }

    Optional<String> get(String key) {
        return properties.resolveProperty(key).map(String::trim).filter(value -> !value.isEmpty());
    }

    @Override
    public void close() {
        context.stop();
    }
}
