package io.cameldlq.kafka;

import java.util.Collection;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommit;
import org.apache.kafka.common.TopicPartition;

import io.cameldlq.config.ContextBeans;

/**
 * The publishes that consumed records started and the broker has not acknowledged yet, by the consumed
 * record's partition and offset. {@link CommitHoldingConsumer} commits no offset past the lowest of them, and
 * after a failed one it seeks back to that record, so a record is never committed before what it published
 * is safe. Thread-safe: publishes start on consumer threads and end on producer threads.
 */
public final class PendingPublishes {

    private static final String BEAN_NAME = "pendingPublishes";

    /** The partition and offset a consumed record was read from, which is what its commit is for. */
    public record Position(TopicPartition partition, long offset) {

        /**
         * Returns where camel-kafka read the message's record, from the manual-commit header that a consumer
         * with {@code allowManualCommit=true} sets, or null for a message without it.
         */
        public static Position of(Message message) {
            Object commit = message.getHeader(KafkaConstants.MANUAL_COMMIT);
            if (commit instanceof DefaultKafkaManualCommit manual) {
                return new Position(manual.getPartition(), manual.getRecordOffset());
            }
            return null;
        }
    }

    /** One publish, so that a late end of an earlier publish of the same record does not end this one. */
    public static final class Ticket {
        private final Position position;
        /** Whether this is no publish but a marker that keeps commits at its record until it is read again. */
        private final boolean rereadMarker;
        private volatile boolean failed;

        private Ticket(Position position, boolean rereadMarker) {
            this.position = position;
            this.rereadMarker = rereadMarker;
        }

        public Position position() {
            return position;
        }
    }

    private final Map<TopicPartition, NavigableMap<Long, Ticket>> byPartition = new ConcurrentHashMap<>();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger rereadMarkers = new AtomicInteger();

    /** Returns the instance of the Camel context, bound in its registry at the first call. */
    public static PendingPublishes of(CamelContext context) {
        return ContextBeans.getOrBind(context, BEAN_NAME, PendingPublishes.class, PendingPublishes::new);
    }

    /** Records a publish that the record at {@code position} starts. */
    public Ticket start(Position position) {
        Ticket ticket = new Ticket(position, false);
        byPartition.computeIfAbsent(position.partition(), partition -> new ConcurrentSkipListMap<>())
                .put(position.offset(), ticket);
        return ticket;
    }

    /** Forgets a publish the broker acknowledged. */
    public void acknowledged(Ticket ticket) {
        NavigableMap<Long, Ticket> pending = byPartition.get(ticket.position.partition());
        if (pending != null) {
            pending.remove(ticket.position.offset(), ticket);
        }
    }

    /** Marks a publish as failed: its record must be consumed again. */
    public void failed(Ticket ticket) {
        NavigableMap<Long, Ticket> pending = byPartition.get(ticket.position.partition());
        if (pending != null && pending.get(ticket.position.offset()) == ticket && !ticket.failed) {
            ticket.failed = true;
            failures.incrementAndGet();
        }
    }

    /** Returns the offset of the partition's lowest publish not acknowledged yet, failed or pending. */
    public OptionalLong lowestUnacknowledged(TopicPartition partition) {
        NavigableMap<Long, Ticket> pending = byPartition.get(partition);
        if (pending == null) {
            return OptionalLong.empty();
        }
        Map.Entry<Long, Ticket> lowest = pending.firstEntry();
        return lowest == null ? OptionalLong.empty() : OptionalLong.of(lowest.getKey());
    }

    /** Returns whether any publish failed and is not forgotten yet. It is cheap enough to call on every poll. */
    public boolean anyFailed() {
        return failures.get() > 0;
    }

    /** Returns the offset of the partition's lowest failed publish. */
    public OptionalLong lowestFailed(TopicPartition partition) {
        NavigableMap<Long, Ticket> pending = byPartition.get(partition);
        if (pending != null) {
            for (Map.Entry<Long, Ticket> entry : pending.entrySet()) {
                if (entry.getValue().failed) {
                    return OptionalLong.of(entry.getKey());
                }
            }
        }
        return OptionalLong.empty();
    }

    /**
     * Replaces the partition's publishes from {@code offset} on, where the consumer was sought back to after a
     * failed publish, with a marker that keeps commits at {@code offset} until {@link #readAgain} reports the
     * record read again. Until then, a commit of records processed before the seek must not pass it.
     */
    public void awaitReadAgain(TopicPartition partition, long offset) {
        forgetFrom(partition, offset);
        byPartition.computeIfAbsent(partition, key -> new ConcurrentSkipListMap<>())
                .put(offset, new Ticket(new Position(partition, offset), true));
        rereadMarkers.incrementAndGet();
    }

    /** Returns whether a partition waits for a record to be read again. It is cheap enough for every poll. */
    public boolean anyAwaitingReadAgain() {
        return rereadMarkers.get() > 0;
    }

    /** Removes the partition's markers from {@code firstOffset} on: a poll returned records from there. */
    public void readAgain(TopicPartition partition, long firstOffset) {
        NavigableMap<Long, Ticket> pending = byPartition.get(partition);
        if (pending != null) {
            NavigableMap<Long, Ticket> tail = pending.tailMap(firstOffset, true);
            for (Ticket ticket : tail.values()) {
                if (ticket.rereadMarker && tail.remove(ticket.position.offset(), ticket)) {
                    rereadMarkers.decrementAndGet();
                }
            }
        }
    }

    /**
     * Forgets the partition's publishes from {@code offset} on: the consumer reads those records again, and
     * they start their publishes again.
     */
    public void forgetFrom(TopicPartition partition, long offset) {
        NavigableMap<Long, Ticket> pending = byPartition.get(partition);
        if (pending != null) {
            NavigableMap<Long, Ticket> tail = pending.tailMap(offset, true);
            for (Ticket ticket : tail.values()) {
                if (tail.remove(ticket.position.offset(), ticket)) {
                    if (ticket.failed) {
                        failures.decrementAndGet();
                    }
                    if (ticket.rereadMarker) {
                        rereadMarkers.decrementAndGet();
                    }
                }
            }
        }
    }

    /** Forgets every publish of the partitions, which this consumer no longer owns. */
    public void forget(Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            forgetFrom(partition, Long.MIN_VALUE);
        }
    }
}
