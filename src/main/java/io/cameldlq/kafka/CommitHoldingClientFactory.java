package io.cameldlq.kafka;

import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.DefaultKafkaClientFactory;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommitFactory;
import org.apache.kafka.clients.consumer.Consumer;

/** Gives camel-kafka a {@link CommitHoldingConsumer} for each consumer it creates; producers are Kafka's own. */
public class CommitHoldingClientFactory extends DefaultKafkaClientFactory {

    private final PendingPublishes pending;

    public CommitHoldingClientFactory(PendingPublishes pending) {
        this.pending = pending;
    }

    /**
     * Returns the camel-kafka endpoint of the consumer URI with a factory of commit-holding consumers that
     * share the Camel context's {@link PendingPublishes}.
     */
    public static KafkaEndpoint consumerEndpoint(CamelContext context, String uri) {
        KafkaEndpoint endpoint = context.getEndpoint(uri, KafkaEndpoint.class);
        // The endpoint is built now, before Camel autowires the component's factory, so it needs its own.
        // Without one, allowManualCommit=true commits nothing.
        if (endpoint.getKafkaManualCommitFactory() == null) {
            endpoint.setKafkaManualCommitFactory(new DefaultKafkaManualCommitFactory());
        }
        endpoint.setKafkaClientFactory(new CommitHoldingClientFactory(PendingPublishes.of(context)));
        return endpoint;
    }

    @Override
    public Consumer<Object, Object> getConsumer(Properties kafkaProps) {
        return new CommitHoldingConsumer(kafkaProps, pending);
    }
}
