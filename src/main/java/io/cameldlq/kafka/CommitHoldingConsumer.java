package io.cameldlq.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka consumer whose commits never pass a record with a publish the broker has not acknowledged, as
 * {@link PendingPublishes} tracks them. So the record that started a publish and every record after it in its
 * partition stay uncommitted until the publish is safe, while the consumer goes on processing.
 *
 * <ul>
 *   <li>Every commit, from camel-kafka after a poll's records, on a rebalance or on stop, is
 *       lowered to the partition's lowest unacknowledged publish.</li>
 *   <li>Before each poll, a partition with a failed publish is sought back to that record, so it is consumed
 *       and attempted again, and the publishes from there are forgotten. Commits stay at that record until a
 *       poll returns it again.</li>
 *   <li>Partitions revoked, lost or unsubscribed are forgotten. Their next consumer starts at the committed
 *       offset, which no unacknowledged publish passed.</li>
 * </ul>
 */
public class CommitHoldingConsumer extends KafkaConsumer<Object, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(CommitHoldingConsumer.class);

    private final PendingPublishes pending;
    /** Commits that were lowered, by partition. Only the consumer thread uses it. */
    private final Map<TopicPartition, HeldCommit> heldBack = new HashMap<>();

    /** A requested commit and the lower offset committed in its place. */
    private record HeldCommit(OffsetAndMetadata requested, long committed) {
    }

    public CommitHoldingConsumer(Properties properties, PendingPublishes pending) {
        super(properties);
        this.pending = pending;
    }

    @Override
    public ConsumerRecords<Object, Object> poll(Duration timeout) {
        if (pending.anyFailed()) {
            seekBackToFailedPublishes();
        }
        if (!heldBack.isEmpty()) {
            commitReleased();
        }
        ConsumerRecords<Object, Object> records = super.poll(timeout);
        if (pending.anyAwaitingReadAgain()) {
            for (TopicPartition partition : records.partitions()) {
                pending.readAgain(partition, records.records(partition).get(0).offset());
            }
        }
        return records;
    }

    /**
     * Commits what was held back as far as its publishes were acknowledged since. camel-kafka commits only
     * after it processed records, so without this an idle partition would keep its lag until the next record.
     */
    private void commitReleased() {
        Map<TopicPartition, OffsetAndMetadata> released = new HashMap<>();
        for (Map.Entry<TopicPartition, HeldCommit> entry : heldBack.entrySet()) {
            OptionalLong lowest = pending.lowestUnacknowledged(entry.getKey());
            if (lowest.isEmpty() || lowest.getAsLong() > entry.getValue().committed()) {
                released.put(entry.getKey(), entry.getValue().requested());
            }
        }
        if (!released.isEmpty()) {
            LOG.debug("Committing {} as far as the publishes before these offsets were acknowledged", released);
            // Asynchronous, so the poll does not wait for it. Through this class, which holds back each
            // partition again at its lowest pending publish.
            commitAsync(released, (offsets, failure) -> {
                if (failure != null) {
                    LOG.warn("Could not commit {}: {}. The offsets are committed after the next records, or the "
                            + "records are consumed again", offsets, failure.getMessage());
                }
            });
        }
    }

    private void seekBackToFailedPublishes() {
        for (TopicPartition partition : assignment()) {
            OptionalLong failed = pending.lowestFailed(partition);
            if (failed.isPresent()) {
                long offset = failed.getAsLong();
                LOG.warn("Consuming {} again from offset {}: the retry record or dead letter of that record could "
                        + "not be published, so it and the records after it are attempted again", partition, offset);
                seek(partition, offset);
                // camel-kafka can still commit records it processed before the seek, e.g. after a poll during the
                // retry route's wait. The marker keeps those commits at the offset until it is read again.
                pending.awaitReadAgain(partition, offset);
                heldBack.remove(partition);
            }
        }
    }

    /** Returns the offsets with each lowered to its partition's lowest unacknowledged publish. */
    private Map<TopicPartition, OffsetAndMetadata> held(Map<TopicPartition, OffsetAndMetadata> offsets) {
        Map<TopicPartition, OffsetAndMetadata> held = null;
        for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : offsets.entrySet()) {
            OptionalLong lowest = pending.lowestUnacknowledged(entry.getKey());
            if (lowest.isEmpty() || lowest.getAsLong() >= entry.getValue().offset()) {
                heldBack.remove(entry.getKey());
            } else {
                heldBack.put(entry.getKey(), new HeldCommit(entry.getValue(), lowest.getAsLong()));
                if (held == null) {
                    held = new HashMap<>(offsets);
                }
                LOG.debug("Committing {} at offset {} instead of {}: the publish of that record is not "
                        + "acknowledged yet", entry.getKey(), lowest.getAsLong(), entry.getValue().offset());
                held.put(entry.getKey(), new OffsetAndMetadata(lowest.getAsLong(), entry.getValue().metadata()));
            }
        }
        return held == null ? offsets : held;
    }

    /** Returns the current positions of the assigned partitions, as the commits without offsets commit them. */
    private Map<TopicPartition, OffsetAndMetadata> positions() {
        Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
        for (TopicPartition partition : assignment()) {
            positions.put(partition, new OffsetAndMetadata(position(partition)));
        }
        return positions;
    }

    @Override
    public void commitSync() {
        super.commitSync(held(positions()));
    }

    @Override
    public void commitSync(Duration timeout) {
        super.commitSync(held(positions()), timeout);
    }

    @Override
    public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
        super.commitSync(held(offsets));
    }

    @Override
    public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
        super.commitSync(held(offsets), timeout);
    }

    @Override
    public void commitAsync() {
        super.commitAsync(held(positions()), null);
    }

    @Override
    public void commitAsync(OffsetCommitCallback callback) {
        super.commitAsync(held(positions()), callback);
    }

    @Override
    public void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
        super.commitAsync(held(offsets), callback);
    }

    @Override
    public void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
        super.subscribe(topics, forgetting(listener));
    }

    @Override
    public void subscribe(Pattern pattern, ConsumerRebalanceListener listener) {
        super.subscribe(pattern, forgetting(listener));
    }

    @Override
    public void unsubscribe() {
        forgetOwnedAfter(super::unsubscribe);
    }

    @Override
    public void close() {
        forgetOwnedAfter(super::close);
    }

    @Override
    public void close(Duration timeout) {
        forgetOwnedAfter(() -> super.close(timeout));
    }

    /** Runs {@code ending}, which ends the assignment, then forgets the partitions this consumer owned. */
    private void forgetOwnedAfter(Runnable ending) {
        Collection<TopicPartition> owned = ownedPartitions();
        try {
            ending.run();
        } finally {
            forget(owned);
        }
    }

    private void forget(Collection<TopicPartition> partitions) {
        pending.forget(partitions);
        heldBack.keySet().removeAll(partitions);
    }

    private Collection<TopicPartition> ownedPartitions() {
        try {
            return assignment();
        } catch (IllegalStateException alreadyClosed) {
            return List.of();
        }
    }

    /** Wraps camel-kafka's listener, which commits what it processed, then drops the revoked or lost partitions. */
    private ConsumerRebalanceListener forgetting(ConsumerRebalanceListener camelListener) {
        ConsumerRebalanceListener listener = camelListener != null ? camelListener : new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            }
        };
        return new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                try {
                    listener.onPartitionsRevoked(partitions);
                } finally {
                    forget(partitions);
                }
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                listener.onPartitionsAssigned(partitions);
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                try {
                    listener.onPartitionsLost(partitions);
                } finally {
                    forget(partitions);
                }
            }
        };
    }
}
