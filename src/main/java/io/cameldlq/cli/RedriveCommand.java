package io.cameldlq.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.cameldlq.deadletter.DeadLetterHeaders;
import io.cameldlq.deadletter.Diagnostics;
import io.cameldlq.kafka.KafkaClientProperties;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code redrive}: sends dead letters back to their original topic, or to a topic given, once their cause
 * is fixed. Progress is stored as committed offsets of a consumer group of its own, named after the
 * topics and filters, so running the same command again sends nothing twice and an interrupted run goes
 * on where it stopped. A record redriven more than {@code --max-redrives} times goes to the parking-lot
 * topic instead.
 */
@Command(name = "redrive", mixinStandardHelpOptions = true, versionProvider = CommandLineTool.Version.class,
        description = "Send dead letters back to their original topic (from their headers) or to --target TOPIC. "
                + "Resumable and idempotent: progress is committed to consumer group --group, so a second run "
                + "of the same command sends nothing twice. Each redriven record carries dlq-redrive-count; "
                + "past --max-redrives it goes to the parking-lot topic instead.")
final class RedriveCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private DeadLetterFilter filter = new DeadLetterFilter();

    @Option(names = {"-t", "--topic"}, paramLabel = "TOPIC",
            description = "Dead-letter topic to read. Default: dead-letter.topic from application.properties.")
    private String topic;

    @Option(names = "--target", paramLabel = "TOPIC",
            description = "Send every record to TOPIC. Default: each record's original topic.")
    private String target;

    @Option(names = {"-b", "--brokers"}, paramLabel = "HOST:PORT[,HOST:PORT...]",
            description = "Kafka brokers. Default: camel.component.kafka.brokers, else localhost:9092.")
    private String brokers;

    @Option(names = "--dry-run", description = "Print what would be sent; send and commit nothing.")
    private boolean dryRun;

    @Option(names = "--limit", paramLabel = "N", description = "Send at most N records in this run. Default: all.")
    private Integer limit;

    @Option(names = "--rate", paramLabel = "N", description = "Send at most N records per second. Default: no limit.")
    private Double rate;

    @Option(names = "--max-redrives", paramLabel = "N",
            description = "Times a record may be redriven; the next time it goes to the parking lot. "
                    + "Default: redrive.max-redrives, else 3.")
    private Integer maxRedrives;

    @Option(names = "--parking-lot", paramLabel = "TOPIC",
            description = "Topic for records redriven too often. Default: redrive.parking-lot-topic, "
                    + "else the dead-letter topic with -parking-lot appended.")
    private String parkingLot;

    @Option(names = "--group", paramLabel = "GROUP",
            description = "Consumer group that stores the progress. Default: derived from the topics and filters.")
    private String group;

    @Option(names = "--timeout-ms", paramLabel = "MS", defaultValue = "15000",
            description = "Maximum wait for the broker, in milliseconds. Default: ${DEFAULT-VALUE}.")
    private long timeoutMs;

    private long sent;
    private long parked;
    private long skipped;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String invalid = filter.validate();
        if (invalid == null && maxRedrives != null && maxRedrives < 0) {
            invalid = "Invalid --max-redrives " + maxRedrives + ": must be 0 or more";
        }
        if (invalid == null && rate != null && !(rate > 0)) {
            invalid = "Invalid --rate " + rate + ": must be more than 0";
        }
        if (invalid != null) {
            err.println(invalid);
            return 2;
        }

        String bootstrap;
        String deadLetterTopic;
        Properties clientProperties;
        int redriveLimit;
        String parkingLotTopic;
        try (ClientSettings settings = new ClientSettings()) {
            bootstrap = brokers != null ? brokers : settings.get("camel.component.kafka.brokers").orElse("localhost:9092");
            deadLetterTopic = topic != null ? topic
                    : settings.get("dead-letter.topic").orElse("dead-letter-task-processing");
            clientProperties = KafkaClientProperties.forAdmin(settings.kafkaConfiguration());
            redriveLimit = maxRedrives != null ? maxRedrives
                    : Integer.parseInt(settings.get("redrive.max-redrives").orElse("3"));
            parkingLotTopic = parkingLot != null ? parkingLot
                    : settings.get("redrive.parking-lot-topic").orElse(deadLetterTopic + "-parking-lot");
        }
        String progressGroup = group != null ? group : "camel-dlq-redrive-" + UUID.nameUUIDFromBytes(
                String.join("|", deadLetterTopic, String.valueOf(target), filter.describe())
                        .getBytes(StandardCharsets.UTF_8));

        Properties consumerProperties = new Properties();
        consumerProperties.putAll(clientProperties);
        consumerProperties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        consumerProperties.put(ConsumerConfig.GROUP_ID_CONFIG, progressGroup);
        consumerProperties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumerProperties.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(timeoutMs));
        Properties producerProperties = new Properties();
        producerProperties.putAll(clientProperties);
        producerProperties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producerProperties.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProperties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producerProperties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(timeoutMs));

        try (KafkaConsumer<byte[], byte[]> consumer =
                        new KafkaConsumer<>(consumerProperties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
                KafkaProducer<byte[], byte[]> producer = dryRun ? null
                        : new KafkaProducer<>(producerProperties, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(deadLetterTopic, Duration.ofMillis(timeoutMs));
            if (infos == null || infos.isEmpty()) {
                err.println("Topic " + deadLetterTopic + " not found at " + bootstrap);
                return 1;
            }
            List<TopicPartition> partitions = new ArrayList<>();
            infos.forEach(info -> partitions.add(new TopicPartition(deadLetterTopic, info.partition())));
            consumer.assign(partitions);
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new java.util.HashSet<>(partitions));
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long total = 0;
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata done = committed.get(partition);
                long start = done == null ? begin.get(partition) : Math.max(done.offset(), begin.get(partition));
                consumer.seek(partition, start);
                total += end.get(partition) - start;
            }
            err.printf("%s %d dead letters from %s (progress group %s)%n", dryRun ? "Checking" : "Redriving", total,
                    deadLetterTopic, progressGroup);
            run(consumer, producer, partitions, end, total, redriveLimit, parkingLotTopic, out, err);
        } catch (KafkaException | ExecutionException | TimeoutException e) {
            err.printf("Redrive stopped after %d sent and %d parked: %s. Completed records are committed; run the "
                    + "same command again to go on.%n", sent, parked, e.getMessage());
            return 1;
        }
        err.printf("Done: %d sent, %d parked in %s, %d skipped by the filters%s%n", sent, parked, parkingLotTopic,
                skipped, dryRun ? " (dry run: nothing was sent or committed)" : "");
        return 0;
    }

    private void run(KafkaConsumer<byte[], byte[]> consumer, KafkaProducer<byte[], byte[]> producer,
            List<TopicPartition> partitions, Map<TopicPartition, Long> end, long total, int redriveLimit,
            String parkingLotTopic, PrintWriter out, PrintWriter err)
            throws ExecutionException, InterruptedException, TimeoutException {
        long startedAt = System.nanoTime();
        long lastProgress = startedAt;
        long handled = 0;
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && !limitReached()) {
            ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
            Map<TopicPartition, OffsetAndMetadata> progress = new HashMap<>();
            List<Future<RecordMetadata>> pending = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> record : records) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                if (record.offset() >= end.get(partition) || limitReached()) {
                    break;
                }
                handled++;
                Diagnostics diagnostics = Diagnostics.read(record.headers());
                if (!filter.matches(record, diagnostics)) {
                    skipped++;
                } else {
                    pending.add(redrive(record, diagnostics, producer, redriveLimit, parkingLotTopic, out));
                    throttle(startedAt);
                }
                progress.put(partition, new OffsetAndMetadata(record.offset() + 1));
            }
            for (Future<RecordMetadata> acknowledgement : pending) {
                if (acknowledgement != null) {
                    acknowledgement.get(timeoutMs, TimeUnit.MILLISECONDS);
                }
            }
            if (!dryRun && !progress.isEmpty()) {
                consumer.commitSync(progress);
            }
            if (System.nanoTime() - lastProgress > 1_000_000_000L) {
                lastProgress = System.nanoTime();
                double seconds = (lastProgress - startedAt) / 1e9;
                double perSecond = handled / Math.max(seconds, 0.001);
                err.printf("%d / %d done, %.0f records/s, about %.0f s left%n", handled, total, perSecond,
                        (total - handled) / Math.max(perSecond, 0.001));
            }
        }
    }

    private Future<RecordMetadata> redrive(ConsumerRecord<byte[], byte[]> record, Diagnostics diagnostics,
            KafkaProducer<byte[], byte[]> producer, int redriveLimit, String parkingLotTopic, PrintWriter out) {
        int count = redriveCount(record) + 1;
        String destination = count > redriveLimit ? parkingLotTopic
                : target != null ? target : diagnostics.topic();
        String coordinates = record.topic() + "-" + record.partition() + "@" + record.offset();
        if (destination == null) {
            out.printf("skip %s: no original topic in its headers; give --target TOPIC%n", coordinates);
            skipped++;
            return null;
        }
        boolean parking = destination.equals(parkingLotTopic) && count > redriveLimit;
        out.printf("%s%s %s -> %s (redrive %d)%n", dryRun ? "would " : "", parking ? "park" : "send", coordinates,
                destination, count);
        if (parking) {
            parked++;
        } else {
            sent++;
        }
        if (dryRun) {
            return null;
        }
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            if (!header.key().equals(DeadLetterHeaders.REDRIVE_COUNT)) {
                headers.add(header);
            }
        }
        headers.add(new RecordHeader(DeadLetterHeaders.REDRIVE_COUNT,
                String.valueOf(count).getBytes(StandardCharsets.UTF_8)));
        return producer.send(new ProducerRecord<>(destination, null, record.key(), record.value(), headers));
    }

    private static int redriveCount(ConsumerRecord<byte[], byte[]> record) {
        Header header = record.headers().lastHeader(DeadLetterHeaders.REDRIVE_COUNT);
        try {
            return header == null ? 0 : Integer.parseInt(new String(header.value(), StandardCharsets.UTF_8).trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private boolean limitReached() {
        return limit != null && sent + parked >= limit;
    }

    private void throttle(long startedAt) throws InterruptedException {
        if (rate == null) {
            return;
        }
        long dueNanos = startedAt + (long) ((sent + parked) / rate * 1e9);
        long waitMs = (dueNanos - System.nanoTime()) / 1_000_000;
        if (waitMs > 0) {
            Thread.sleep(waitMs);
        }
    }
}
