package io.cameldlq.kafka;

import java.util.Properties;
import java.util.Set;

import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Kafka client settings derived from the camel-kafka component configuration. With them the clients that
 * camel-dlq creates itself (the Admin client at start-up, the commands' consumers and producers) connect
 * like the routes do, with the same brokers, security protocol, SASL and TLS settings and additional
 * properties.
 */
public final class KafkaClientProperties {

    private KafkaClientProperties() {
    }

    /** Returns the settings of {@code configuration} that an Admin client accepts. */
    public static Properties forAdmin(KafkaConfiguration configuration) {
        return only(configuration.createConsumerProperties(), AdminClientConfig.configNames(),
                configuration.getBrokers());
    }

    /** Returns the settings of {@code configuration} that a producer accepts, serializers excluded. */
    public static Properties forProducer(KafkaConfiguration configuration) {
        Properties properties = only(configuration.createProducerProperties(), ProducerConfig.configNames(),
                configuration.getBrokers());
        properties.remove(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
        properties.remove(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
        properties.remove(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG);
        return properties;
    }

    private static Properties only(Properties all, Set<String> accepted, String brokers) {
        Properties selected = new Properties();
        all.forEach((key, value) -> {
            if (accepted.contains(key.toString())) {
                selected.put(key, value);
            }
        });
        if (brokers != null) {
            selected.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        }
        return selected;
    }
}
