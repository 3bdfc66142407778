package io.cameldlq.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
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
import org.apache.kafka.common.header.Headers;
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
    private long read;
    /** Sends in flight, oldest first. Each is printed and counted once the broker acknowledges it. */
    private final Deque<PendingSend> pending = new ArrayDeque<>();
    /** Per partition of the current poll, the offset to commit: the record after the last one handled. */
    private final Map<TopicPartition, OffsetAndMetadata> committable = new HashMap<>();
    /** The first send of the current poll that the broker did not acknowledge, or null. */
    private RedriveException sendFailure;

    /** A record handed to the producer and the line that {@code redrive} prints once it is acknowledged. */
    private record PendingSend(String line, String destination, boolean parking, TopicPartition source, long offset,
            Future<RecordMetadata> acknowledgement) {
    }

    /** A failure that ends the run. The message is one line that names the topic and the brokers. */
    private static final class RedriveException extends Exception {
        private static final long serialVersionUID = 1L;

        RedriveException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String invalid = CommandArguments.firstError(filter.validate(),
                CommandArguments.notNegative("--limit", limit),
                CommandArguments.notNegative("--max-redrives", maxRedrives),
                rate != null && !(rate > 0) ? "Invalid --rate " + rate + ": must be more than 0" : null,
                CommandArguments.positive("--timeout-ms", timeoutMs),
                CommandArguments.brokers(brokers));
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

        Map<TopicPartition, Long> end;
        long total;
        try (KafkaConsumer<byte[], byte[]> consumer =
                        new KafkaConsumer<>(consumerProperties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
                TopicLookup topics = new TopicLookup(bootstrap, clientProperties, timeoutMs);
                KafkaProducer<byte[], byte[]> producer = dryRun ? null
                        : new KafkaProducer<>(producerProperties, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<TopicPartition> partitions;
            try {
                List<PartitionInfo> infos = consumer.partitionsFor(deadLetterTopic, Duration.ofMillis(timeoutMs));
                if (infos == null || infos.isEmpty()) {
                    err.println("Topic " + deadLetterTopic + " not found at " + bootstrap);
                    return 1;
                }
                if (target != null) {
                    topics.require(target);
                }
                partitions = new ArrayList<>();
                infos.forEach(info -> partitions.add(new TopicPartition(deadLetterTopic, info.partition())));
                consumer.assign(partitions);
                Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
                Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
                end = consumer.endOffsets(partitions);
                total = 0;
                for (TopicPartition partition : partitions) {
                    OffsetAndMetadata done = committed.get(partition);
                    long start = done == null ? begin.get(partition) : Math.max(done.offset(), begin.get(partition));
                    consumer.seek(partition, start);
                    total += end.get(partition) - start;
                }
            } catch (TopicLookup.TopicUnavailableException e) {
                err.println(e.getMessage());
                return 1;
            } catch (KafkaException e) {
                err.println("Cannot read topic " + deadLetterTopic + " at " + bootstrap + ": "
                        + FailureMessages.clause(e));
                return 1;
            }
            // The filters are applied while reading, so only the records left to read are known here.
            err.printf("Reading %d %s from %s (progress group %s); %s those the filters match%n", total,
                    total == 1 ? "dead letter" : "dead letters", deadLetterTopic, progressGroup,
                    dryRun ? "checking" : "redriving");
            try {
                run(consumer, producer, topics, partitions, end, new RedriveProgress(total, limit, System.nanoTime()),
                        redriveLimit, parkingLotTopic, bootstrap, out, err);
            } catch (RedriveException e) {
                err.printf("Redrive stopped after %d sent and %d parked: %s. Completed records are committed; run "
                        + "the same command again to go on.%n", sent, parked, e.getMessage());
                return 1;
            }
        } catch (KafkaException e) {
            err.println("Cannot connect to " + bootstrap + ": " + FailureMessages.clause(e));
            return 1;
        }
        if (dryRun) {
            err.printf("Dry run done: %d would be sent, %d parked in %s, %d skipped by the filters; nothing was sent "
                    + "or committed%n", sent, parked, parkingLotTopic, skipped);
        } else {
            err.printf("Done: %d sent, %d parked in %s, %d skipped by the filters%n", sent, parked, parkingLotTopic,
                    skipped);
        }
        return 0;
    }

    /**
     * Redrives the records from the consumer's positions up to {@code end}. After each poll it waits for the
     * poll's sends and commits, per partition, the offsets up to the first record that failed, so a failure
     * commits exactly the records before it in that partition.
     */
    private void run(KafkaConsumer<byte[], byte[]> consumer, KafkaProducer<byte[], byte[]> producer,
            TopicLookup topics, List<TopicPartition> partitions, Map<TopicPartition, Long> end,
            RedriveProgress progress, int redriveLimit, String parkingLotTopic, String bootstrap, PrintWriter out,
            PrintWriter err) throws RedriveException, InterruptedException {
        long startedAt = System.nanoTime();
        String deadLetterTopic = partitions.get(0).topic();
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && !limitReached()) {
            ConsumerRecords<byte[], byte[]> records;
            try {
                records = consumer.poll(Duration.ofMillis(500));
            } catch (KafkaException e) {
                throw new RedriveException("Cannot read topic " + deadLetterTopic + " at " + bootstrap + ": "
                        + FailureMessages.clause(e), e);
            }
            committable.clear();
            RedriveException failure = null;
            for (ConsumerRecord<byte[], byte[]> record : records) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                if (record.offset() >= end.get(partition)) {
                    continue;
                }
                if (limitReached()) {
                    break;
                }
                try {
                    redrive(record, producer, topics, redriveLimit, parkingLotTopic, bootstrap, startedAt, progress,
                            out, err);
                } catch (RedriveException e) {
                    failure = e;
                    break;
                }
                committable.put(partition, new OffsetAndMetadata(record.offset() + 1));
                read++;
                acknowledge(false, bootstrap, out);
                if (sendFailure != null) {
                    break;
                }
                printProgress(progress, err);
            }
            acknowledge(true, bootstrap, out);
            if (failure == null) {
                failure = sendFailure;
            }
            if (!dryRun && !committable.isEmpty()) {
                try {
                    consumer.commitSync(committable);
                } catch (KafkaException e) {
                    throw new RedriveException("Cannot commit the progress of group "
                            + consumer.groupMetadata().groupId() + " at " + bootstrap + ": "
                            + FailureMessages.clause(e), e);
                }
            }
            if (failure != null) {
                throw failure;
            }
            printProgress(progress, err);
        }
    }

    /**
     * Sends or parks one dead letter, or counts it as skipped. In a dry run it only prints what it would do.
     * The destination topic is looked up first, so a missing topic stops the run before anything is sent.
     */
    private void redrive(ConsumerRecord<byte[], byte[]> record, KafkaProducer<byte[], byte[]> producer,
            TopicLookup topics, int redriveLimit, String parkingLotTopic, String bootstrap, long startedAt,
            RedriveProgress progress, PrintWriter out, PrintWriter err) throws RedriveException, InterruptedException {
        Diagnostics diagnostics = Diagnostics.read(record.headers());
        if (!filter.matches(record, diagnostics)) {
            skipped++;
            return;
        }
        int count = redriveCount(record.headers()) + 1;
        boolean parking = count > redriveLimit;
        String destination = diagnostics.topic();
        if (parking) {
            destination = parkingLotTopic;
        } else if (target != null) {
            destination = target;
        }
        String coordinates = record.topic() + "-" + record.partition() + "@" + record.offset();
        if (destination == null) {
            out.printf("skip %s: no original topic in its headers; give --target TOPIC%n", coordinates);
            skipped++;
            return;
        }
        try {
            topics.require(destination);
        } catch (TopicLookup.TopicUnavailableException e) {
            throw new RedriveException(e.getMessage(), e);
        }
        String line = String.format("%s %s -> %s (redrive %d)", parking ? "park" : "send", coordinates, destination,
                count);
        if (dryRun) {
            out.println("would " + line);
            count(parking);
            return;
        }
        throttle(startedAt, progress, bootstrap, out, err);
        if (sendFailure != null) {
            throw sendFailure;
        }
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            if (!header.key().equals(DeadLetterHeaders.REDRIVE_COUNT)) {
                headers.add(header);
            }
        }
        headers.add(new RecordHeader(DeadLetterHeaders.REDRIVE_COUNT,
                String.valueOf(count).getBytes(StandardCharsets.UTF_8)));
        Future<RecordMetadata> acknowledgement;
        try {
            acknowledgement = producer.send(new ProducerRecord<>(destination, null, record.key(), record.value(),
                    headers));
        } catch (KafkaException e) {
            throw new RedriveException("Cannot send " + coordinates + " to topic " + destination + " at " + bootstrap
                    + ": " + FailureMessages.clause(e), e);
        }
        pending.add(new PendingSend(line, destination, parking, new TopicPartition(record.topic(), record.partition()),
                record.offset(), acknowledgement));
    }

    /**
     * Prints and counts the acknowledged sends at the head of {@link #pending}, waiting for each when
     * {@code wait}, else stopping at the first still in flight. A failed send is not counted, and the first
     * one is kept in {@link #sendFailure}. Neither it nor the later records of its partition are committed.
     */
    private void acknowledge(boolean wait, String bootstrap, PrintWriter out) throws InterruptedException {
        while (!pending.isEmpty() && (wait || pending.peek().acknowledgement().isDone())) {
            PendingSend send = pending.poll();
            try {
                send.acknowledgement().get(timeoutMs + 5_000, TimeUnit.MILLISECONDS);
                out.println(send.line());
                count(send.parking());
            } catch (ExecutionException | TimeoutException e) {
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                if (sendFailure == null) {
                    sendFailure = new RedriveException("Cannot send " + send.source().topic() + "-"
                            + send.source().partition() + "@" + send.offset() + " to topic " + send.destination()
                            + " at " + bootstrap + ": " + FailureMessages.clause(cause), cause);
                }
                // NOTE: sends of this partition after the failed one that the broker did acknowledge are printed
                // and counted but not committed, so the next run sends them again.
                OffsetAndMetadata next = committable.get(send.source());
                if (next != null && next.offset() > send.offset()) {
                    committable.put(send.source(), new OffsetAndMetadata(send.offset()));
                }
            }
        }
        out.flush();
    }

    private void count(boolean parking) {
        if (parking) {
            parked++;
        } else {
            sent++;
        }
    }

    private void printProgress(RedriveProgress progress, PrintWriter err) {
        String line = progress.lineIfDue(System.nanoTime(), read, sent + parked);
        if (line != null) {
            err.println(line);
            err.flush();
        }
    }

    /** Returns the {@code dlq-redrive-count} of a record: 0 when the header is missing or not a number. */
    static int redriveCount(Headers headers) {
        Header header = headers.lastHeader(DeadLetterHeaders.REDRIVE_COUNT);
        try {
            return header == null ? 0 : Integer.parseInt(new String(header.value(), StandardCharsets.UTF_8).trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Checks whether the records sent, parked or in flight have reached {@code --limit}. */
    private boolean limitReached() {
        return limit != null && sent + parked + pending.size() >= limit;
    }

    /**
     * Waits until the next send is due under {@code --rate}, printing acknowledged sends and the progress
     * line meanwhile.
     */
    private void throttle(long startedAt, RedriveProgress progress, String bootstrap, PrintWriter out,
            PrintWriter err) throws InterruptedException {
        if (rate == null) {
            return;
        }
        long dueNanos = startedAt + (long) ((sent + parked + pending.size()) / rate * 1e9);
        for (long waitNanos = dueNanos - System.nanoTime(); waitNanos > 0; waitNanos = dueNanos - System.nanoTime()) {
            Thread.sleep(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(waitNanos), 100)));
            acknowledge(false, bootstrap, out);
            printProgress(progress, err);
        }
    }
}
