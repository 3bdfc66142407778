package io.cameldlq.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cameldlq.deadletter.DeadLetterHeaders;
import io.cameldlq.deadletter.log.DeadLetterLogLine;
import io.cameldlq.kafka.EmbeddedKafkaBroker;
import io.cameldlq.support.AppDirectory;
import io.cameldlq.support.JarProcess;
import io.cameldlq.support.KafkaTestClient;

/**
 * The soak: many records, 1 % failing, while faults hit the application and the broker on a schedule.
 * Run with {@code mvn -B verify -Psoak}; {@code -Dsoak.records=N} changes the number of records. Prints a
 * table of what happened to the records and fails if one was lost or logged twice.
 */
class SoakIT {

    private static final Pattern PROCESSED = Pattern.compile("Processed record (\\S+)-(\\d+)@(\\d+)");
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(10);

    @TempDir
    Path root;

    private final List<JarProcess> processes = new ArrayList<>();

    @Test
    void soakLosesNothing() throws Exception {
        int records = Integer.getInteger("soak.records", 100_000);
        EmbeddedKafkaBroker[] broker = {EmbeddedKafkaBroker.start(0, root.resolve("broker"), Map.of())};
        int port = broker[0].port();
        String brokers = broker[0].bootstrapServers();
        Path logDirectory = Files.createDirectories(root.resolve("shared-log"));
        AppDirectory template = new AppDirectory(root.resolve("instance-0"));
        List<AppDirectory> directories = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            AppDirectory directory = new AppDirectory(root.resolve("instance-" + i))
                    .with("task-processing.topic", template.sourceTopic)
                    .with("task-processing.group-id", template.sourceGroup)
                    .with("dead-letter.topic", template.deadLetterTopic)
                    .with("dead-letter-log.group-id", template.logGroup)
                    .with("dead-letter-log.directory", logDirectory.toString())
                    .with("task-processing.processed-log-level", "INFO")
                    .with("topics.partitions", "6")
                    // Blocking retries hold a partition for their whole delay; 1,000 failing records with
                    // the default 1 s would take minutes to drain.
                    .with("redelivery.delay-ms", "100")
                    .write(brokers);
            directories.add(directory);
        }
        try {
            for (int i = 0; i < 3; i++) {
                start(directories.get(i));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> processes.stream()
                    .allMatch(p -> output(p).contains("Routes startup")));

            AtomicLong sent = new AtomicLong();
            Thread producer = new Thread(() -> produce(brokers, template.sourceTopic, records, sent), "soak-producer");
            producer.start();
            long startedAt = System.nanoTime();

            // Fault 1: kill -9 during a redelivery delay, then restart.
            sleepUntil(startedAt, 10);
            JarProcess victim = processes.get(0);
            int before = count(output(victim), "Attempt 1 of 3 failed");
            await().atMost(Duration.ofSeconds(60)).until(() -> count(output(victim), "Attempt 1 of 3 failed") > before);
            victim.kill();
            start(directories.get(0));

            // Fault 2: kill -9 right after a dead-letter publish, before the commit, then restart.
            sleepUntil(startedAt, 25);
            JarProcess publisher = processes.get(1);
            int published = count(output(publisher), "publishing it to dead-letter topic");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(2))
                    .until(() -> count(output(publisher), "publishing it to dead-letter topic") > published);
            publisher.kill();
            start(directories.get(1));

            // Fault 5: the broker stops for 30 s.
            sleepUntil(startedAt, 40);
            broker[0].close();
            sleepUntil(startedAt, 70);
            broker[0] = EmbeddedKafkaBroker.start(port, root.resolve("broker"), Map.of());

            // Fault 8: an instance of the group dies and another one joins.
            sleepUntil(startedAt, 85);
            processes.get(2).kill();
            start(directories.get(3));

            producer.join();
            try (KafkaTestClient kafka = new KafkaTestClient(brokers)) {
                await().atMost(DRAIN_TIMEOUT).pollInterval(Duration.ofSeconds(2))
                        .until(() -> kafka.groupCaughtUp(template.sourceGroup, template.sourceTopic)
                                && kafka.groupCaughtUp(template.logGroup, template.deadLetterTopic));
                report(kafka, template, logDirectory.resolve("dead_letter_log.txt"), sent.get());
            }
        } finally {
            processes.forEach(JarProcess::close);
            broker[0].close();
        }
    }

    private void report(KafkaTestClient kafka, AppDirectory template, Path logFile, long sent) throws Exception {
        Map<String, Boolean> failingByCoordinates = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : kafka.readAll(template.sourceTopic)) {
            failingByCoordinates.put(record.topic() + "/" + record.partition() + "/" + record.offset(),
                    "fail".equals(new String(record.value(), StandardCharsets.UTF_8)));
        }
        Set<String> processed = new HashSet<>();
        for (JarProcess process : processes) {
            Matcher matcher = PROCESSED.matcher(output(process));
            while (matcher.find()) {
                processed.add(matcher.group(1) + "/" + matcher.group(2) + "/" + matcher.group(3));
            }
        }
        Set<String> deadLettered = new HashSet<>();
        List<ConsumerRecord<byte[], byte[]>> deadLetters = kafka.readAll(template.deadLetterTopic);
        for (ConsumerRecord<byte[], byte[]> record : deadLetters) {
            deadLettered.add(text(record, DeadLetterHeaders.ORIGINAL_TOPIC) + "/"
                    + text(record, DeadLetterHeaders.ORIGINAL_PARTITION) + "/"
                    + text(record, DeadLetterHeaders.ORIGINAL_OFFSET));
        }
        deadLetters.stream()
                .filter(r -> !failingByCoordinates.getOrDefault(text(r, DeadLetterHeaders.ORIGINAL_TOPIC) + "/"
                        + text(r, DeadLetterHeaders.ORIGINAL_PARTITION) + "/"
                        + text(r, DeadLetterHeaders.ORIGINAL_OFFSET), false))
                .limit(5)
                .forEach(r -> System.out.printf("Dead letter %s-%d@%d is not a failing source record: key=%s headers=%s%n",
                        r.topic(), r.partition(), r.offset(),
                        r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8), r.headers()));
        List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
        Set<String> logged = new HashSet<>();
        for (String line : lines) {
            DeadLetterLogLine parsed = DeadLetterLogLine.parse(line);
            logged.add(parsed.topic() + "/" + parsed.partition() + "/" + parsed.offset());
        }
        long lost = failingByCoordinates.entrySet().stream()
                .filter(e -> e.getValue() ? !deadLettered.contains(e.getKey()) || !logged.contains(e.getKey())
                        : !processed.contains(e.getKey()))
                .count();
        long failing = failingByCoordinates.values().stream().filter(f -> f).count();
        long duplicateLines = lines.size() - logged.size();

        System.out.printf("%n| sent | in topic | failing | processed | dead-lettered | dead letters (copies) "
                + "| logged | lost | duplicate log lines |%n|---|---|---|---|---|---|---|---|---|%n"
                + "| %d | %d | %d | %d | %d | %d | %d | %d | %d |%n%n", sent, failingByCoordinates.size(), failing,
                processed.size(), deadLettered.size(), deadLetters.size(), logged.size(), lost, duplicateLines);
        assertEquals(sent, failingByCoordinates.size(), "records missing from the source topic");
        assertEquals(0, lost, "lost records");
        assertEquals(0, duplicateLines, "duplicate log lines");
    }

    private void start(AppDirectory directory) throws Exception {
        processes.add(JarProcess.start(directory.path, Map.of(), List.of("-Xmx256m")));
    }

    private static void produce(String brokers, String topic, int records, AtomicLong sent) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "300000");
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "300000");
        long periodNanos = 100_000_000_000L / records;
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < records; i++) {
                // Spread the records over 100 s so that every fault hits records in flight.
                while (System.nanoTime() - start < i * periodNanos) {
                    Thread.onSpinWait();
                }
                String value = i % 100 == 0 ? "fail" : "task-" + i;
                producer.send(new ProducerRecord<>(topic, ("k-" + i).getBytes(StandardCharsets.UTF_8),
                        value.getBytes(StandardCharsets.UTF_8)), (metadata, error) -> {
                            if (error == null) {
                                sent.incrementAndGet();
                            }
                        });
            }
            producer.flush();
        }
    }

    private static String output(JarProcess process) {
        try {
            return process.output();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int count(String text, String needle) {
        int count = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            count++;
        }
        return count;
    }

    private static void sleepUntil(long startedAt, long seconds) throws InterruptedException {
        long remainingMs = (startedAt + seconds * 1_000_000_000L - System.nanoTime()) / 1_000_000;
        if (remainingMs > 0) {
            Thread.sleep(remainingMs);
        }
    }

    private static String text(ConsumerRecord<byte[], byte[]> record, String header) {
        Header found = record.headers().lastHeader(header);
        return found == null ? null : new String(found.value(), StandardCharsets.UTF_8);
    }
}
