package io.cameldlq.it;

import static io.cameldlq.support.KafkaTestClient.utf8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cameldlq.deadletter.DeadLetterHeaders;
import io.cameldlq.support.JarProcess;
import io.cameldlq.support.KafkaTestClient;
import io.cameldlq.support.RunningPipeline;
import io.cameldlq.support.TestBroker;

/** The {@code redrive} command of the packaged jar: dry run, idempotence, resume, parking lot, bad input. */
class RedriveCommandIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path workingDirectory;

    @Test
    void redriveIsResumableAndIdempotent() throws Exception {
        try (RunningPipeline pipeline = new RunningPipeline().with("redelivery.delay-ms", "20").start();
                KafkaTestClient kafka = new KafkaTestClient(TestBroker.bootstrapServers())) {
            for (int i = 0; i < 3; i++) {
                kafka.send(pipeline.sourceTopic, 0, utf8("k" + i), utf8("fail"),
                        List.of(new RecordHeader("trace-id", utf8("t" + i))));
            }
            await().atMost(TIMEOUT).until(() -> pipeline.logLines().size() == 3);
            String target = KafkaTestClient.uniqueName("fixed");
            kafka.createTopic(target, 1);

            String dryRun = run(pipeline, "redrive", "--target", target, "--dry-run");
            assertTrue(dryRun.contains("would send"), dryRun);
            assertTrue(dryRun.contains("Dry run done: 3 would be sent"), dryRun);
            assertTrue(dryRun.contains("-> " + target + " (redrive 1)"), dryRun);
            assertTrue(kafka.readAll(target).isEmpty(), "the dry run sent records");

            String partial = run(pipeline, "redrive", "--target", target, "--limit", "1");
            assertTrue(partial.contains("Done: 1 sent"), partial);
            String rest = run(pipeline, "redrive", "--target", target, "--rate", "100");
            assertTrue(rest.contains("Done: 2 sent"), rest);
            String again = run(pipeline, "redrive", "--target", target);
            assertTrue(again.contains("Done: 0 sent"), again);

            List<ConsumerRecord<byte[], byte[]>> redriven = kafka.readAll(target);
            assertEquals(3, redriven.size());
            List<String> keys = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> record : redriven) {
                keys.add(new String(record.key(), StandardCharsets.UTF_8));
                assertArrayEquals(utf8("fail"), record.value());
                assertEquals("1", text(record, DeadLetterHeaders.REDRIVE_COUNT));
                assertTrue(record.headers().lastHeader("trace-id") != null, "user header lost");
            }
            assertEquals(List.of("k0", "k1", "k2"), keys.stream().sorted().toList());
        }
    }

    @Test
    void redriveToOriginalParksAfterLimit() throws Exception {
        try (RunningPipeline pipeline = new RunningPipeline().with("redelivery.delay-ms", "20").start();
                KafkaTestClient kafka = new KafkaTestClient(TestBroker.bootstrapServers())) {
            kafka.send(pipeline.sourceTopic, 0, utf8("stubborn"), utf8("fail"), List.of());
            await().atMost(TIMEOUT).until(() -> pipeline.logLines().size() == 1);

            // Back to the original topic: it fails again and is dead-lettered again, count kept.
            String first = run(pipeline, "redrive", "--max-redrives", "1", "--key", "stubborn");
            assertTrue(first.contains("send "), first);
            assertTrue(first.contains("-> " + pipeline.sourceTopic), first);
            await().atMost(TIMEOUT).until(() -> kafka.readAll(pipeline.deadLetterTopic).size() == 2);
            ConsumerRecord<byte[], byte[]> again = kafka.readAll(pipeline.deadLetterTopic).stream()
                    .filter(r -> "1".equals(text(r, DeadLetterHeaders.REDRIVE_COUNT))).findFirst().orElseThrow();
            assertEquals("3", text(again, DeadLetterHeaders.ATTEMPTS));

            String second = run(pipeline, "redrive", "--max-redrives", "1", "--key", "stubborn");
            String parkingLot = pipeline.deadLetterTopic + "-parking-lot";
            assertTrue(second.contains("park "), second);
            assertTrue(second.contains("-> " + parkingLot + " (redrive 2)"), second);
            List<ConsumerRecord<byte[], byte[]>> parked = kafka.readAll(parkingLot);
            assertEquals(1, parked.size());
            assertArrayEquals(utf8("stubborn"), parked.get(0).key());
        }
    }

    @Test
    void badArgumentsFailClearly() throws Exception {
        try (JarProcess process = JarProcess.start(workingDirectory, Map.of(), List.of(), "redrive",
                "--brokers", TestBroker.bootstrapServers(), "--rate", "0")) {
            assertEquals(2, process.waitForExit(60), process.output());
            assertTrue(process.output().contains("Invalid --rate 0.0: must be more than 0"), process.output());
        }
        try (JarProcess process = JarProcess.start(workingDirectory, Map.of(), List.of(), "redrive",
                "--brokers", TestBroker.bootstrapServers(), "--topic", "missing-dead-letters", "--timeout-ms", "5000")) {
            assertEquals(1, process.waitForExit(60), process.output());
            assertTrue(process.output().contains("Topic missing-dead-letters not found"), process.output());
        }
    }

    @Test
    void missingTargetStopsBeforeSending() throws Exception {
        try (KafkaTestClient kafka = new KafkaTestClient(TestBroker.bootstrapServers())) {
            String deadLetterTopic = deadLetterTopicWith(kafka, 1, "orders");
            String missing = KafkaTestClient.uniqueName("no-such-topic");

            for (List<String> extra : List.of(List.of("--limit", "1"), List.of("--dry-run"))) {
                List<String> args = new ArrayList<>(List.of("redrive", "--brokers", TestBroker.bootstrapServers(),
                        "--topic", deadLetterTopic, "--target", missing));
                args.addAll(extra);
                try (JarProcess process = JarProcess.start(workingDirectory, Map.of(), List.of(),
                        args.toArray(String[]::new))) {
                    assertEquals(1, process.waitForExit(60), process.output());
                    String output = process.output();
                    assertTrue(output.contains("Topic " + missing + " not found at " + TestBroker.bootstrapServers()),
                            output);
                    assertFalse(output.contains("send "), output);
                    assertFalse(output.contains("1 sent"), output);
                }
            }

            // Nothing was committed, so a run to an existing topic still finds the dead letter.
            String target = KafkaTestClient.uniqueName("fixed");
            kafka.createTopic(target, 1);
            String redriven = JarProcess.runCommand(workingDirectory, deadLetterTopic, "redrive", "--target", target);
            assertTrue(redriven.contains("Done: 1 sent"), redriven);
        }
    }

    @Test
    void missingOriginalTopicStopsAtThatRecord() throws Exception {
        try (KafkaTestClient kafka = new KafkaTestClient(TestBroker.bootstrapServers())) {
            String original = KafkaTestClient.uniqueName("orders");
            kafka.createTopic(original, 1);
            String deleted = KafkaTestClient.uniqueName("deleted");
            String deadLetterTopic = KafkaTestClient.uniqueName("dead-letters");
            kafka.createTopic(deadLetterTopic, 1);
            kafka.send(deadLetterTopic, 0, utf8("a"), utf8("fail"), deadLetterHeaders(original, 0));
            kafka.send(deadLetterTopic, 0, utf8("b"), utf8("fail"), deadLetterHeaders(deleted, 0));
            kafka.send(deadLetterTopic, 0, utf8("c"), utf8("fail"), deadLetterHeaders(original, 0));

            try (JarProcess process = JarProcess.start(workingDirectory, Map.of(), List.of(), "redrive",
                    "--brokers", TestBroker.bootstrapServers(), "--topic", deadLetterTopic)) {
                assertEquals(1, process.waitForExit(60), process.output());
                String output = process.output();
                assertTrue(output.contains("send " + deadLetterTopic + "-0@0 -> " + original), output);
                assertTrue(output.contains("Topic " + deleted + " not found at " + TestBroker.bootstrapServers()),
                        output);
                assertTrue(output.contains("Redrive stopped after 1 sent and 0 parked"), output);
                assertFalse(output.contains("-0@2"), output);
            }
            assertEquals(1, kafka.readAll(original).size());

            // The first record was committed: the next run starts at the missing topic again.
            kafka.createTopic(deleted, 1);
            String rest = JarProcess.runCommand(workingDirectory, deadLetterTopic, "redrive");
            assertTrue(rest.contains("Done: 2 sent"), rest);
            assertEquals(2, kafka.readAll(original).size());
            assertEquals(1, kafka.readAll(deleted).size());
        }
    }

    @Test
    void unreachableBrokerIsNamed() throws Exception {
        String closedBroker = TestBroker.closedAddress();
        try (JarProcess process = JarProcess.start(workingDirectory, Map.of(), List.of(), "redrive",
                "--brokers", closedBroker, "--topic", "dead-letters", "--timeout-ms", "2000")) {
            assertEquals(1, process.waitForExit(60), process.output());
            String output = process.output().strip();
            assertTrue(output.contains("Cannot read topic dead-letters at " + closedBroker + ": "), output);
            assertFalse(output.contains(".."), output);
            assertEquals(1, output.lines().count(), output);
        }
    }

    @Test
    void progressRespectsLimitEverySecond() throws Exception {
        try (KafkaTestClient kafka = new KafkaTestClient(TestBroker.bootstrapServers())) {
            String target = KafkaTestClient.uniqueName("fixed");
            kafka.createTopic(target, 1);
            String deadLetterTopic = deadLetterTopicWith(kafka, 8, target);

            String output = JarProcess.runCommand(workingDirectory, deadLetterTopic, "redrive", "--rate", "1",
                    "--limit", "4");

            List<String> progress = output.lines().filter(line -> line.contains(" done")).toList();
            assertTrue(progress.size() >= 2, "fewer than two progress lines in:\n" + output);
            for (String line : progress) {
                assertTrue(line.matches("[0-4] / 4 done.*"), line);
            }
            assertTrue(output.contains("Done: 4 sent"), output);
            assertEquals(4, kafka.readAll(target).size());
        }
    }

    /** Creates a dead-letter topic of one partition with {@code count} dead letters of {@code original}. */
    private static String deadLetterTopicWith(KafkaTestClient kafka, int count, String original) throws Exception {
        String deadLetterTopic = KafkaTestClient.uniqueName("dead-letters");
        kafka.createTopic(deadLetterTopic, 1);
        for (int i = 0; i < count; i++) {
            kafka.send(deadLetterTopic, 0, utf8("k" + i), utf8("fail"), deadLetterHeaders(original, i));
        }
        return deadLetterTopic;
    }

    private static List<Header> deadLetterHeaders(String originalTopic, long originalOffset) {
        return List.of(new RecordHeader(DeadLetterHeaders.ORIGINAL_TOPIC, utf8(originalTopic)),
                new RecordHeader(DeadLetterHeaders.ORIGINAL_PARTITION, utf8("0")),
                new RecordHeader(DeadLetterHeaders.ORIGINAL_OFFSET, utf8(String.valueOf(originalOffset))),
                new RecordHeader(DeadLetterHeaders.REASON, utf8(DeadLetterHeaders.REASON_RETRIES_EXHAUSTED)));
    }

    private String run(RunningPipeline pipeline, String... args) throws Exception {
        return JarProcess.runCommand(workingDirectory, pipeline.deadLetterTopic, args);
    }

    private static String text(ConsumerRecord<byte[], byte[]> record, String header) {
        var found = record.headers().lastHeader(header);
        return found == null ? null : new String(found.value(), StandardCharsets.UTF_8);
    }
}
