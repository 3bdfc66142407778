package io.cameldlq.it;

import static io.cameldlq.support.KafkaTestClient.utf8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cameldlq.kafka.CommitHoldingConsumer;
import io.cameldlq.kafka.PendingPublishes;
import io.cameldlq.kafka.PendingPublishes.Position;
import io.cameldlq.kafka.PendingPublishes.Ticket;
import io.cameldlq.support.KafkaTestClient;
import io.cameldlq.support.TestBroker;

/** The commit-holding consumer of the non-blocking mode against a real broker, without Camel. */
class CommitHoldingConsumerIT {

    private static final Duration POLL = Duration.ofMillis(200);

    private KafkaTestClient kafka;
    private final PendingPublishes pending = new PendingPublishes();
    private CommitHoldingConsumer consumer;
    private String topic;
    private String group;
    private TopicPartition partition;

    @BeforeEach
    void setUp() throws Exception {
        kafka = new KafkaTestClient(TestBroker.bootstrapServers());
        topic = KafkaTestClient.uniqueName("held");
        group = KafkaTestClient.uniqueName("held-group");
        partition = new TopicPartition(topic, 0);
        kafka.createTopic(topic, 1);
        for (int i = 0; i < 10; i++) {
            kafka.send(topic, 0, null, utf8("record-" + i), List.of());
        }
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumer = new CommitHoldingConsumer(properties, pending);
    }

    @AfterEach
    void tearDown() {
        consumer.close();
        kafka.close();
    }

    @Test
    void heldCommitCatchesUpWhenIdle() throws Exception {
        consumer.subscribe(List.of(topic), new NoOpListener());
        assertEquals(10, pollUntil(10).size());
        Ticket ticket = pending.start(new Position(partition, 4));

        consumer.commitSync(Map.of(partition, new OffsetAndMetadata(10)));
        assertEquals(4, committed());

        pending.acknowledged(ticket);
        // No new record arrives: the held-back commit is made at the next poll.
        consumer.poll(POLL);
        awaitCommitted(10);
    }

    @Test
    void commitStopsAtLowestOfSeveralPendingPublishes() throws Exception {
        consumer.subscribe(List.of(topic), new NoOpListener());
        pollUntil(10);
        Ticket seven = pending.start(new Position(partition, 7));
        Ticket two = pending.start(new Position(partition, 2));

        consumer.commitSync(Map.of(partition, new OffsetAndMetadata(10)));
        assertEquals(2, committed());

        pending.acknowledged(two);
        consumer.poll(POLL);
        awaitCommitted(7);

        pending.acknowledged(seven);
        consumer.poll(POLL);
        awaitCommitted(10);
    }

    @Test
    void failedPublishConsumesItsRecordAgain() throws Exception {
        consumer.subscribe(List.of(topic), new NoOpListener());
        pollUntil(10);
        Ticket ticket = pending.start(new Position(partition, 6));
        consumer.commitSync(Map.of(partition, new OffsetAndMetadata(10)));

        pending.failed(ticket);
        List<ConsumerRecord<Object, Object>> again = pollUntil(4);

        assertEquals(6, again.get(0).offset());
        assertEquals(9, again.get(again.size() - 1).offset());
        assertEquals(6, committed());
        assertFalse(pending.anyFailed(), "the failed publish was not forgotten after the seek");
        assertTrue(pending.lowestUnacknowledged(partition).isEmpty());
        consumer.commitSync(Map.of(partition, new OffsetAndMetadata(10)));
        assertEquals(10, committed());
    }

    @Test
    void commitStaysAtFailedRecordUntilReadAgain() throws Exception {
        consumer.subscribe(List.of(topic), new NoOpListener());
        pollUntil(10);
        Ticket ticket = pending.start(new Position(partition, 6));
        pending.failed(ticket);

        // As during the retry route's wait: a poll with the partition paused seeks back, and the record being
        // processed then completes, so camel-kafka commits past the failed one.
        consumer.pause(List.of(partition));
        assertTrue(consumer.poll(POLL).isEmpty());
        consumer.commitSync(Map.of(partition, new OffsetAndMetadata(10)));
        assertEquals(6, committed());

        consumer.resume(List.of(partition));
        assertEquals(6, pollUntil(4).get(0).offset());
        consumer.commitSync(Map.of(partition, new OffsetAndMetadata(10)));
        assertEquals(10, committed());
    }

    @Test
    void forgottenPublishAcknowledgementIgnored() throws Exception {
        consumer.subscribe(List.of(topic), new NoOpListener());
        pollUntil(10);
        Ticket old = pending.start(new Position(partition, 3));
        pending.forget(List.of(partition));
        Ticket current = pending.start(new Position(partition, 3));

        pending.acknowledged(old);
        consumer.commitSync(Map.of(partition, new OffsetAndMetadata(10)));
        assertEquals(3, committed());

        pending.acknowledged(current);
        consumer.commitSync(Map.of(partition, new OffsetAndMetadata(10)));
        assertEquals(10, committed());
    }

    @Test
    void revokedPartitionCommitsHeldBack() throws Exception {
        List<String> calls = new ArrayList<>();
        consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                calls.add("revoked");
                // As camel-kafka does: commit what was processed when the partition goes.
                if (partitions.contains(partition)) {
                    consumer.commitSync(Map.of(partition, new OffsetAndMetadata(10)));
                }
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                calls.add("assigned");
            }
        });
        pollUntil(10);
        pending.start(new Position(partition, 5));

        consumer.unsubscribe();

        assertTrue(calls.contains("revoked"), "no revocation: " + calls);
        assertEquals(5, committed());
        assertTrue(pending.lowestUnacknowledged(partition).isEmpty(), "the revoked partition was not forgotten");
    }

    private List<ConsumerRecord<Object, Object>> pollUntil(int count) {
        List<ConsumerRecord<Object, Object>> records = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (records.size() < count && System.nanoTime() < deadline) {
            ConsumerRecords<Object, Object> polled = consumer.poll(POLL);
            polled.forEach(records::add);
        }
        assertEquals(count, records.size(), "records polled");
        return records;
    }

    /** Waits for the commit that a poll sent without waiting for the broker's response. */
    private void awaitCommitted(long offset) {
        await().atMost(Duration.ofSeconds(10)).until(() -> committed() == offset);
    }

    private long committed() throws Exception {
        OffsetAndMetadata committed = kafka.committedOffsets(group).get(partition);
        return committed == null ? -1 : committed.offset();
    }

    private static final class NoOpListener implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        }
    }
}
