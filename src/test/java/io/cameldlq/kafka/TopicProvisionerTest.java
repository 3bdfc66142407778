package io.cameldlq.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsResult;
import org.apache.kafka.clients.admin.MockAdminClient;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.internals.KafkaFutureImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TopicProvisionerTest {

    private final MockAdminClient broker = MockAdminClient.create().numBrokers(1).build();
    /** Number of describe calls still to fail as if the broker's metadata did not have the topics yet. */
    private final AtomicInteger unknownDescribes = new AtomicInteger();
    private final AtomicInteger describes = new AtomicInteger();
    private final Admin admin = laggingMetadata(broker);

    @AfterEach
    void close() {
        broker.close();
    }

    @Test
    void createdTopicCountWaitsForMetadata() {
        TopicProvisioner provisioner = new TopicProvisioner(admin, 5_000);
        provisioner.ensureTopics(List.of("dead-letters"), 3, (short) 1);
        unknownDescribes.set(2);

        Optional<Integer> partitions = provisioner.partitionCount("dead-letters");

        assertEquals(Optional.of(3), partitions);
        assertEquals(3, describes.get(), "describe calls");
    }

    @Test
    void missingTopicCountIsEmptyAtOnce() {
        TopicProvisioner provisioner = new TopicProvisioner(admin, 5_000);

        Optional<Integer> partitions = provisioner.partitionCount("never-created");

        assertTrue(partitions.isEmpty());
        assertEquals(1, describes.get(), "describe calls");
    }

    @Test
    void existingTopicIsCountedOnce() throws Exception {
        broker.createTopics(List.of(new NewTopic("tasks", 6, (short) 1))).all().get();
        TopicProvisioner provisioner = new TopicProvisioner(admin, 5_000);

        assertEquals(Optional.of(6), provisioner.partitionCount("tasks"));
        assertEquals(1, describes.get(), "describe calls");
    }

    /**
     * Returns an Admin whose first {@link #unknownDescribes} topic descriptions fail with
     * {@link UnknownTopicOrPartitionException}, as a broker's do for a topic created a moment ago.
     */
    private Admin laggingMetadata(Admin delegate) {
        return (Admin) Proxy.newProxyInstance(Admin.class.getClassLoader(), new Class<?>[] {Admin.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("describeTopics") && args.length == 1
                            && args[0] instanceof Collection<?> topics) {
                        describes.incrementAndGet();
                        if (unknownDescribes.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                            return unknown(topics);
                        }
                    }
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static DescribeTopicsResult unknown(Collection<?> topics) {
        Map<String, KafkaFuture<TopicDescription>> futures = new HashMap<>();
        for (Object topic : topics) {
            KafkaFutureImpl<TopicDescription> future = new KafkaFutureImpl<>();
            future.completeExceptionally(new UnknownTopicOrPartitionException("Unknown topic " + topic));
            futures.put((String) topic, future);
        }
        // The constructor is protected and the factory method package-private, hence the subclass.
        return new DescribeTopicsResult(null, futures) {
        };
    }
}
