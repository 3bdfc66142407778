package io.cameldlq.kafka;

import java.util.Collection;
import java.util.Comparator;
import java.util.Set;
import java.util.TreeSet;
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
 * consumer of a group has none.
 * camel-kafka looks it up in the registry under {@code subscribeAdapter} for every consumer it starts.
 */
public class AssignmentLoggingSubscribeAdapter implements SubscribeAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(AssignmentLoggingSubscribeAdapter.class);
    private static final Comparator<TopicPartition> BY_NAME =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    private final CamelContext context;

    public AssignmentLoggingSubscribeAdapter(CamelContext context) {
        this.context = context;
    }

    @Override
    public void subscribe(Consumer<?, ?> consumer, ConsumerRebalanceListener camelListener, TopicInfo topicInfo) {
        String topics = topicInfo.isPattern() ? topicInfo.getPattern().pattern()
                : String.join(",", topicInfo.getTopics());
        // Read when a consumer starts, after Camel applied the component's configuration.
        boolean topicMustExist = context.getComponent("kafka", KafkaComponent.class)
                .isSubscribeConsumerTopicMustExists();
        new DefaultSubscribeAdapter(topics, topicMustExist)
                .subscribe(consumer, new LoggingListener(consumer, camelListener), topicInfo);
    }

    /**
     * A rebalance listener that logs how the consumer's partitions changed, after camel-kafka's listener
     * handled the change. An eager assignor, such as the RangeAssignor that Kafka's clients use by default,
     * revokes every partition at each rebalance and assigns them again, so the listener compares the new
     * assignment with the one before and logs only a change.
     */
    private static final class LoggingListener implements ConsumerRebalanceListener {

        private final Consumer<?, ?> consumer;
        private final ConsumerRebalanceListener camelListener;
        /** Partitions after the last assignment. Only the consumer thread uses it. */
        private Set<TopicPartition> owned = Set.of();
        private boolean assignedBefore;

        LoggingListener(Consumer<?, ?> consumer, ConsumerRebalanceListener camelListener) {
            this.consumer = consumer;
            this.camelListener = camelListener;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // A move is logged with the assignment that follows. A stopping consumer gets no assignment.
            camelListener.onPartitionsRevoked(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            camelListener.onPartitionsAssigned(partitions);
            Set<TopicPartition> now = new TreeSet<>(BY_NAME);
            now.addAll(consumer.assignment());
            Set<TopicPartition> added = new TreeSet<>(BY_NAME);
            added.addAll(now);
            added.removeAll(owned);
            Set<TopicPartition> removed = new TreeSet<>(BY_NAME);
            removed.addAll(owned);
            removed.removeAll(now);
            if (now.isEmpty() && (!removed.isEmpty() || !assignedBefore)) {
                LOG.info("This consumer of group {} has no partition, so it stays idle until a rebalance assigns it "
                        + "one", group());
            } else if (!added.isEmpty() || !removed.isEmpty()) {
                LOG.info("This consumer of group {} now owns {} (added {}, removed {})", group(), names(now),
                        names(added), names(removed));
            }
            owned = now;
            assignedBefore = true;
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            camelListener.onPartitionsLost(partitions);
            Set<TopicPartition> remaining = new TreeSet<>(BY_NAME);
            remaining.addAll(owned);
            remaining.removeAll(partitions);
            owned = remaining;
            if (!partitions.isEmpty()) {
                LOG.warn("This consumer of group {} lost {}, because it missed its session timeout or poll interval; "
                        + "another member consumes them from the committed offsets", group(), names(partitions));
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
            if (partitions.isEmpty()) {
                return "none";
            }
            return partitions.stream().sorted(BY_NAME).map(TopicPartition::toString).collect(Collectors.joining(", "));
        }
    }
}
