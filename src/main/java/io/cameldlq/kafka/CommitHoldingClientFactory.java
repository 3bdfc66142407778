package io.cameldlq.kafka;

import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.DefaultKafkaClientFactory;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.kafka.clients.consumer.Consumer;

/** Gives camel-kafka a {@link CommitHoldingConsumer} for each consumer it creates. Producers are Kafka's own. */
public class CommitHoldingClientFactory extends DefaultKafkaClientFactory {

    private final PendingPublishes pending;

    public CommitHoldingClientFactory(PendingPublishes pending) {
        this.pending = pending;
    }

    /**
     * Makes the camel-kafka consumer endpoint of {@code topic} and {@code groupId} use commit-holding
     * consumers that share the Camel context's {@link PendingPublishes}. The factory is set when Camel creates
     * the endpoint, so the endpoint still gets the component's settings, e.g. the brokers of an embedded
     * broker started after the routes were configured.
     */
    public static void install(CamelContext context, String topic, String groupId) {
        PendingPublishes pending = PendingPublishes.of(context);
        context.getCamelContextExtension().registerEndpointCallback((uri, endpoint) -> {
            if (endpoint instanceof KafkaEndpoint kafka && topic.equals(kafka.getConfiguration().getTopic())
                    && groupId.equals(kafka.getConfiguration().getGroupId())) {
                kafka.setKafkaClientFactory(new CommitHoldingClientFactory(pending));
            }
            return endpoint;
        });
    }

    @Override
    public Consumer<Object, Object> getConsumer(Properties kafkaProps) {
        return new CommitHoldingConsumer(kafkaProps, pending);
    }
}
