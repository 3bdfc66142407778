package io.cameldlq.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
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
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.ConsumerGroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Plain kafka-clients access to the test broker: produce, read a whole topic, inspect offsets. */
public final class KafkaTestClient implements AutoCloseable {

    private final String bootstrapServers;
    private final Admin admin;
    private final KafkaProducer<byte[], byte[]> producer;

    private final Properties clientProperties;

    public KafkaTestClient(String bootstrapServers) {
        this(bootstrapServers, new Properties());
    }

    /** Connects with extra client settings, such as SASL credentials, for every client it creates. */
    public KafkaTestClient(String bootstrapServers, Properties clientProperties) {
        this.bootstrapServers = bootstrapServers;
        this.clientProperties = clientProperties;
        Properties adminProperties = new Properties();
        adminProperties.putAll(clientProperties);
        adminProperties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        this.admin = Admin.create(adminProperties);
        Properties producerProperties = new Properties();
        producerProperties.putAll(clientProperties);
        producerProperties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        producerProperties.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(producerProperties, new ByteArraySerializer(), new ByteArraySerializer());
    }

    public static byte[] utf8(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    public static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public void createTopic(String topic, int partitions) throws Exception {
        createTopic(topic, partitions, Map.of());
    }

    /** Creates {@code topic} with topic-level settings such as {@code retention.ms}. */
    public void createTopic(String topic, int partitions, Map<String, String> configs) throws Exception {
        admin.createTopics(Set.of(new NewTopic(topic, partitions, (short) 1).configs(configs))).all()
                .get(30, TimeUnit.SECONDS);
    }

    public Set<String> topics() throws Exception {
        return admin.listTopics().names().get(30, TimeUnit.SECONDS);
    }

    public int partitionCount(String topic) throws Exception {
        return admin.describeTopics(Set.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                .get(topic).partitions().size();
    }

    public RecordMetadata send(String topic, Integer partition, byte[] key, byte[] value, List<Header> headers)
            throws ExecutionException, InterruptedException {
        return producer.send(new ProducerRecord<>(topic, partition, key, value, headers)).get();
    }

    /** Reads every record currently in {@code topic}, from the beginning up to the end offsets. */
    public List<ConsumerRecord<byte[], byte[]>> readAll(String topic) throws Exception {
        Properties properties = new Properties();
        properties.putAll(clientProperties);
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.currentTimeMillis() + 30_000;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("Timed out reading " + topic);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /** Returns whether the group has committed every record of {@code topic}, i.e. its lag is 0. */
    public boolean groupCaughtUp(String groupId, String topic) throws Exception {
        Map<TopicPartition, Long> end = endOffsets(topic);
        Map<TopicPartition, OffsetAndMetadata> committed = committedOffsets(groupId);
        for (Map.Entry<TopicPartition, Long> entry : end.entrySet()) {
            OffsetAndMetadata offset = committed.get(entry.getKey());
            long position = offset == null ? 0 : offset.offset();
            if (position < entry.getValue()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns how many members of a stable group have partitions of {@code topic} assigned; 0 while the group
     * is rebalancing or empty.
     */
    public long membersWithPartitions(String groupId, String topic) throws Exception {
        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId)).describedGroups().get(groupId)
                .get(30, TimeUnit.SECONDS);
        if (group.state() != ConsumerGroupState.STABLE) {
            return 0;
        }
        return group.members().stream()
                .filter(member -> member.assignment().topicPartitions().stream().anyMatch(p -> p.topic().equals(topic)))
                .count();
    }

    public Map<TopicPartition, OffsetAndMetadata> committedOffsets(String groupId) throws Exception {
        return admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
    }

    public Map<TopicPartition, Long> endOffsets(String topic) throws Exception {
        int partitions = partitionCount(topic);
        Map<TopicPartition, OffsetSpec> request = new java.util.HashMap<>();
        for (int i = 0; i < partitions; i++) {
            request.put(new TopicPartition(topic, i), OffsetSpec.latest());
        }
        return admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    @Override
    public void close() {
        producer.close();
        admin.close();
    }
}
