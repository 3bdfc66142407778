package io.cameldlq.it;

import static io.cameldlq.support.KafkaTestClient.utf8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cameldlq.deadletter.DeadLetterHeaders;
import io.cameldlq.deadletter.log.DeadLetterLogLine;
import io.cameldlq.support.JarProcess;
import io.cameldlq.support.KafkaTestClient;
import io.cameldlq.support.RunningPipeline;
import io.cameldlq.support.TestBroker;

/** The {@code dead-letters} command of the packaged jar against dead letters the pipeline wrote. */
class DeadLettersCommandIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path workingDirectory;

    @Test
    void listsAndFiltersDeadLetters() throws Exception {
        try (RunningPipeline pipeline = new RunningPipeline().with("redelivery.delay-ms", "20").start();
                KafkaTestClient kafka = new KafkaTestClient(TestBroker.bootstrapServers())) {
            RecordMetadata retried = kafka.send(pipeline.sourceTopic, 1, utf8("order-7"), utf8("fail"), List.of());
            kafka.send(pipeline.sourceTopic, 2, utf8("empty-one"), new byte[0], List.of());
            await().atMost(TIMEOUT).until(() -> pipeline.logLines().size() == 2);

            String table = run(pipeline, "dead-letters");
            assertTrue(table.contains(pipeline.sourceTopic + "-1@" + retried.offset()), table);
            assertTrue(table.contains("order-7"), table);
            assertTrue(table.contains("retries-exhausted"), table);
            assertTrue(table.contains("not-retryable"), table);
            assertTrue(table.contains("2 dead letters listed"), table);

            String notRetryable = run(pipeline, "dead-letters", "--reason", "not-retryable");
            assertTrue(notRetryable.contains("empty-one"), notRetryable);
            assertFalse(notRetryable.contains("order-7"), notRetryable);

            String byOriginal = run(pipeline, "dead-letters", "--partition", "1", "--offset",
                    String.valueOf(retried.offset()), "--exception", "TaskFailedException");
            assertTrue(byOriginal.contains("1 dead letters listed"), byOriginal);

            String none = run(pipeline, "dead-letters", "--key", "order-7", "--from", "2999-01-01T00:00:00Z");
            assertTrue(none.contains("0 dead letters listed"), none);

            List<DeadLetterLogLine> json = new ArrayList<>();
            for (String line : run(pipeline, "dead-letters", "--format", "json", "--key", "order-7").split("\n")) {
                if (line.startsWith("{")) {
                    json.add(DeadLetterLogLine.parse(line));
                }
            }
            assertEquals(1, json.size());
            assertEquals(retried.offset(), json.get(0).offset());
            assertArrayEquals(utf8("fail"), json.get(0).value());
            assertEquals(3, json.get(0).attempts());
        }
    }

    @Test
    void badArgumentsAndUnknownTopicFail() throws Exception {
        try (JarProcess badTime = JarProcess.start(workingDirectory, Map.of(), List.of(), "dead-letters",
                "--brokers", TestBroker.bootstrapServers(), "--from", "yesterday")) {
            assertEquals(2, badTime.waitForExit(60), badTime.output());
            assertTrue(badTime.output().contains("Invalid time 'yesterday'"), badTime.output());
        }
        try (JarProcess unknown = JarProcess.start(workingDirectory, Map.of(), List.of(), "dead-letters",
                "--brokers", TestBroker.bootstrapServers(), "--topic", "no-such-topic", "--timeout-ms", "5000")) {
            assertEquals(1, unknown.waitForExit(60), unknown.output());
            assertTrue(unknown.output().contains("no-such-topic"), unknown.output());
        }
    }

    @Test
    void tableShowsRedriveCount() throws Exception {
        try (KafkaTestClient kafka = new KafkaTestClient(TestBroker.bootstrapServers())) {
            String deadLetterTopic = KafkaTestClient.uniqueName("dead-letters");
            kafka.createTopic(deadLetterTopic, 1);
            kafka.send(deadLetterTopic, 0, utf8("fresh"), utf8("fail"), List.of());
            kafka.send(deadLetterTopic, 0, utf8("redriven"), utf8("fail"),
                    List.of(new RecordHeader(DeadLetterHeaders.REDRIVE_COUNT, utf8("2"))));

            List<String> lines = JarProcess.runCommand(workingDirectory, deadLetterTopic, "dead-letters").lines()
                    .toList();

            assertTrue(lines.get(0).matches("DEAD LETTER +ORIGINAL +KEY +REASON +ATTEMPTS +REDRIVES +EXCEPTION.*"),
                    lines.get(0));
            assertEquals("0", columns(lines, "fresh")[5]);
            assertEquals("2", columns(lines, "redriven")[5]);
        }
    }

    @Test
    void partialOriginalHeadersFallBackToOwnCoordinates() throws Exception {
        try (KafkaTestClient kafka = new KafkaTestClient(TestBroker.bootstrapServers())) {
            String deadLetterTopic = KafkaTestClient.uniqueName("dead-letters");
            kafka.createTopic(deadLetterTopic, 1);
            // Written by another producer: an original topic but no original partition or offset.
            kafka.send(deadLetterTopic, 0, utf8("crafted"), utf8("v"),
                    List.of(new RecordHeader(DeadLetterHeaders.ORIGINAL_TOPIC, utf8("orders"))));

            List<String> table = JarProcess.runCommand(workingDirectory, deadLetterTopic, "dead-letters").lines()
                    .toList();
            String output = JarProcess.runCommand(workingDirectory, deadLetterTopic, "dead-letters", "--format", "json");
            JsonObject json = (JsonObject) Jsoner.deserialize(
                    output.lines().filter(text -> text.startsWith("{")).findFirst().orElseThrow());

            assertEquals("-", columns(table, "crafted")[1]);
            assertEquals(deadLetterTopic, json.getString("topic"));
            assertEquals(0, json.getInteger("partition"));
            assertEquals(0L, json.getLong("offset"));
        }
    }

    @Test
    void jsonCarriesEveryDiagnostic() throws Exception {
        try (KafkaTestClient kafka = new KafkaTestClient(TestBroker.bootstrapServers())) {
            String deadLetterTopic = KafkaTestClient.uniqueName("dead-letters");
            kafka.createTopic(deadLetterTopic, 2);
            List<Header> headers = List.of(
                    new RecordHeader(DeadLetterHeaders.ORIGINAL_TOPIC, utf8("orders")),
                    new RecordHeader(DeadLetterHeaders.ORIGINAL_PARTITION, utf8("3")),
                    new RecordHeader(DeadLetterHeaders.ORIGINAL_OFFSET, utf8("42")),
                    new RecordHeader(DeadLetterHeaders.EXCEPTION_CLASS, utf8("java.lang.IllegalStateException")),
                    new RecordHeader(DeadLetterHeaders.EXCEPTION_MESSAGE, utf8("broken")),
                    new RecordHeader(DeadLetterHeaders.EXCEPTION_ROOT_CAUSE_CLASS, utf8("java.io.IOException")),
                    new RecordHeader(DeadLetterHeaders.FIRST_FAILURE_TIME, utf8("2026-12-04T10:00:00Z")),
                    new RecordHeader(DeadLetterHeaders.LAST_FAILURE_TIME, utf8("2026-12-04T10:00:05Z")),
                    new RecordHeader(DeadLetterHeaders.CONSUMER_GROUP, utf8("task-processors")),
                    new RecordHeader(DeadLetterHeaders.INSTANCE_ID, utf8("host-1")),
                    new RecordHeader(DeadLetterHeaders.ATTEMPTS, utf8("3")),
                    new RecordHeader(DeadLetterHeaders.REASON, utf8(DeadLetterHeaders.REASON_RETRIES_EXHAUSTED)),
                    new RecordHeader(DeadLetterHeaders.REDRIVE_COUNT, utf8("1")));
            RecordMetadata deadLetter = kafka.send(deadLetterTopic, 1, utf8("order-9"), utf8("fail"), headers);

            String output = JarProcess.runCommand(workingDirectory, deadLetterTopic, "dead-letters", "--format", "json");
            String line = output.lines().filter(text -> text.startsWith("{")).findFirst().orElseThrow();
            JsonObject json = (JsonObject) Jsoner.deserialize(line);

            assertEquals("orders", json.getString("topic"));
            assertEquals(3, json.getInteger("partition"));
            assertEquals(42L, json.getLong("offset"));
            assertEquals(deadLetterTopic, json.getString("deadLetterTopic"));
            assertEquals(1, json.getInteger("deadLetterPartition"));
            assertEquals(deadLetter.offset(), json.getLong("deadLetterOffset"));
            assertEquals("java.lang.IllegalStateException: broken", json.getString("error"));
            assertEquals("java.io.IOException", json.getString("rootCause"));
            assertEquals("2026-12-04T10:00:00Z", json.getString("firstFailure"));
            assertEquals("2026-12-04T10:00:05Z", json.getString("lastFailure"));
            assertEquals("task-processors", json.getString("consumerGroup"));
            assertEquals("host-1", json.getString("instanceId"));
            assertEquals(1, json.getInteger("redriveCount"));
            assertArrayEquals(utf8("order-9"), DeadLetterLogLine.parse(line).key());
        }
    }

    /** Returns the whitespace-separated columns of the table row whose key is {@code key}. */
    private static String[] columns(List<String> lines, String key) {
        return lines.stream().map(line -> line.split(" +")).filter(cells -> cells.length > 2 && cells[2].equals(key))
                .findFirst().orElseThrow(() -> new AssertionError("no row with key " + key + " in " + lines));
    }

    private String run(RunningPipeline pipeline, String... args) throws Exception {
        return JarProcess.runCommand(workingDirectory, pipeline.deadLetterTopic, args);
    }
}
