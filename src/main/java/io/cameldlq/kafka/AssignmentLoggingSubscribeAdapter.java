package io.cameldlq.kafka;

import java.util.Collection;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.consumer.support.subcription.DefaultSubscribeAdapter;
import org.apache.camel.component.kafka.consumer.support.subcription.SubscribeAdapter;
import org.apache.camel.component.kafka.consumer.support.subcription.TopicInfo;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subscribes camel-kafka's consumers as camel-kafka does and logs each change of their partitions at INFO
 * (lost partitions at WARN), so the log shows which consumer thread owns which partitions, and which
 * consumer of a group got none.
 * camel-kafka looks it up in the registry under {@code subscribeAdapter} for every consumer it starts.
 */
public class AssignmentLoggingSubscribeAdapter implements SubscribeAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(AssignmentLoggingSubscribeAdapter.class);

    private final CamelContext context;

    public AssignmentLoggingSubscribeAdapter(CamelContext context) {
        this.context = context;
    }

    @Override
    public void subscribe(Consumer<?, ?> consumer, ConsumerRebalanceListener camelListener, TopicInfo topicInfo) {
        String topics = topicInfo.isPattern() ? topicInfo.getPattern().pattern()
                : String.join(",", topicInfo.getTopics());
        // Read when a consumer starts, after Camel applied the component's configuration.
        boolean topicMustExist = context.getComponent("kafka", KafkaComponent.class).isSubscribeConsumerTopicMustExists();
        new DefaultSubscribeAdapter(topics, topicMustExist)
                .subscribe(consumer, new LoggingListener(consumer, camelListener), topicInfo);
    }

    /** A rebalance listener that logs the partitions a rebalance gives or takes, after camel-kafka's handled them. */
    private static final class LoggingListener implements ConsumerRebalanceListener {

        private final Consumer<?, ?> consumer;
        private final ConsumerRebalanceListener camelListener;

        LoggingListener(Consumer<?, ?> consumer, ConsumerRebalanceListener camelListener) {
            this.consumer = consumer;
            this.camelListener = camelListener;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            camelListener.onPartitionsRevoked(partitions);
            if (!partitions.isEmpty()) {
                LOG.info("Partitions {} of group {} revoked from this consumer, by a rebalance or a stop",
                        names(partitions), group());
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            camelListener.onPartitionsAssigned(partitions);
            if (!partitions.isEmpty()) {
                LOG.info("Partitions {} of group {} assigned to this consumer", names(partitions), group());
            } else if (consumer.assignment().isEmpty()) {
                LOG.info("No partition of group {} assigned to this consumer, so it stays idle until a rebalance "
                        + "assigns it one", group());
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            camelListener.onPartitionsLost(partitions);
            if (!partitions.isEmpty()) {
                LOG.warn("Partitions {} of group {} lost by this consumer, which missed its session timeout or "
                        + "poll interval; another member consumes them from the committed offsets",
                        names(partitions), group());
            }
        }

        private String group() {
            try {
                return consumer.groupMetadata().groupId();
            } catch (RuntimeException e) {
                return "(unknown)";
            }
        }

        private static String names(Collection<TopicPartition> partitions) {
            return partitions.stream().map(TopicPartition::toString).sorted().collect(Collectors.joining(", "));
        }
    }
}
