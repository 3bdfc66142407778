package io.cameldlq.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.ConsumerGroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The harness's Kafka clients: topics, preloading, paced production, committed lag and a dead-letter watcher. */
final class BenchKafka implements AutoCloseable {

    private final String brokers;
    private final Admin admin;

    BenchKafka(String brokers) {
        this.brokers = brokers;
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        this.admin = Admin.create(properties);
    }

    /** Creates a topic and waits until each of its partitions has a leader, so that the first sends succeed at once. */
    void createTopic(String topic, int partitions) throws InterruptedException, ExecutionException {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                var description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
                if (description.partitions().stream().allMatch(partition -> partition.leader() != null)) {
                    return;
                }
            } catch (ExecutionException e) {
                // The metadata has not reached the broker yet; ask again.
            }
            Thread.sleep(50);
        }
    }

    /** Deletes the topics whose names start with {@code prefix}; used for a broker the harness did not start. */
    void deleteTopics(String prefix) throws InterruptedException, ExecutionException {
        Set<String> topics = admin.listTopics().names().get().stream()
                .filter(name -> name.startsWith(prefix)).collect(Collectors.toSet());
        if (!topics.isEmpty()) {
            admin.deleteTopics(topics).all().get();
        }
    }

    /**
     * Sends {@code count} records round-robin over the partitions, record {@code i} failing when
     * {@code isFailing(i)}, and waits for every acknowledgement.
     */
    void preload(String topic, int partitions, long count, int valueBytes, java.util.function.LongPredicate isFailing) {
        preloadKinds(topic, partitions, count, valueBytes,
                i -> isFailing.test(i) ? BenchValues.FAILING : BenchValues.BACKLOG);
    }

    /** Preloads {@code count} records numbered from 0, each of the kind that {@code kindOf} gives its number. */
    void preloadKinds(String topic, int partitions, long count, int valueBytes, LongFunction<Byte> kindOf) {
        Properties properties = producerProperties();
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties)) {
            for (long i = 0; i < count; i++) {
                byte kind = kindOf.apply(i);
                producer.send(new ProducerRecord<>(topic, (int) (i % partitions), key(i),
                        BenchValues.create(kind, i, valueBytes)));
            }
            producer.flush();
        }
    }

    /**
     * Sends records of {@code kind} at {@code ratePerSecond} for {@code seconds}, round-robin over the
     * partitions, each sent when it is due rather than in bursts. Returns the rate achieved.
     */
    double sendAtRate(String topic, int partitions, byte kind, int ratePerSecond, int seconds, int valueBytes) {
        Properties properties = producerProperties();
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        long count = (long) ratePerSecond * seconds;
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties)) {
            long start = System.nanoTime();
            for (long i = 0; i < count; i++) {
                long due = start + i * intervalNanos;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                producer.send(new ProducerRecord<>(topic, (int) (i % partitions), key(i),
                        BenchValues.create(kind, i, valueBytes)));
            }
            producer.flush();
            return count / ((System.nanoTime() - start) / 1e9);
        }
    }

    /**
     * Returns the records of {@code topic} not yet committed by {@code group}: end offset minus committed
     * offset, summed over the partitions. A partition without a committed offset counts from 0.
     */
    long committedLag(String group, String topic, int partitions) throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        long lag = 0;
        for (var end : admin.listOffsets(latest).all().get().entrySet()) {
            OffsetAndMetadata offset = committed.get(end.getKey());
            lag += end.getValue().offset() - (offset == null ? 0 : offset.offset());
        }
        return lag;
    }

    /** Returns whether {@code group} is stable with at least one member, so its partitions are assigned. */
    boolean isGroupStable(String group) throws InterruptedException, ExecutionException {
        ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
        return description.state() == ConsumerGroupState.STABLE && !description.members().isEmpty();
    }

    /** Starts a thread that reads {@code topic} from the beginning and notes when each record number first arrives. */
    DeadLetterWatcher watchDeadLetters(String topic, int partitions) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "20");
        List<TopicPartition> assignment = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            assignment.add(new TopicPartition(topic, p));
        }
        DeadLetterWatcher watcher = new DeadLetterWatcher(new KafkaConsumer<>(properties), assignment);
        watcher.start();
        return watcher;
    }

    private Properties producerProperties() {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return properties;
    }

    private static byte[] key(long number) {
        return Long.toString(number).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(10));
    }

    /** Reads a dead-letter topic in a thread of its own; {@link #close()} stops it. */
    static final class DeadLetterWatcher extends Thread implements AutoCloseable {

        private final KafkaConsumer<byte[], byte[]> consumer;
        private final Collection<TopicPartition> assignment;
        /** Arrival time at the harness of each record number's first dead letter. */
        final Map<Long, Long> firstArrivalMs = new ConcurrentHashMap<>();
        private volatile long copies;
        private volatile boolean running = true;

        DeadLetterWatcher(KafkaConsumer<byte[], byte[]> consumer, Collection<TopicPartition> assignment) {
            super("dead-letter-watcher");
            this.consumer = consumer;
            this.assignment = assignment;
            setDaemon(true);
        }

        long distinct() {
            return firstArrivalMs.size();
        }

        long copies() {
            return copies;
        }

        @Override
        public void run() {
            consumer.assign(assignment);
            consumer.seekToBeginning(assignment);
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    firstArrivalMs.putIfAbsent(BenchValues.number(record.value()), System.currentTimeMillis());
                    copies++;
                }
            }
            consumer.close(Duration.ofSeconds(5));
        }

        @Override
        public void close() {
            running = false;
            try {
                join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
