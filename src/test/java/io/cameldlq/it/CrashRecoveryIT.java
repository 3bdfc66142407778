package io.cameldlq.it;

import static io.cameldlq.support.KafkaTestClient.utf8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cameldlq.deadletter.DeadLetterHeaders;
import io.cameldlq.deadletter.log.DeadLetterLogLine;
import io.cameldlq.support.AppDirectory;
import io.cameldlq.support.JarProcess;
import io.cameldlq.support.KafkaTestClient;
import io.cameldlq.support.TestBroker;

/** {@code kill -9} of the application at the moments that matter, then a restart: nothing lost, one line. */
class CrashRecoveryIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path workingDirectory;

    private KafkaTestClient kafka;
    private AppDirectory app;

    @BeforeEach
    void connect() {
        kafka = new KafkaTestClient(TestBroker.bootstrapServers());
        app = new AppDirectory(workingDirectory);
    }

    @AfterEach
    void disconnect() {
        kafka.close();
    }

    @Test
    void killDuringRedeliveryDelayRetriesFromStart() throws Exception {
        app.with("redelivery.delay-ms", "3000").write(TestBroker.bootstrapServers());
        try (JarProcess first = JarProcess.start(app.path, Map.of(), List.of())) {
            await().atMost(TIMEOUT).until(() -> first.output().contains("Routes startup"));
            kafka.send(app.sourceTopic, 0, utf8("interrupted"), utf8("fail"), List.of());
            await().atMost(TIMEOUT).until(() -> first.output().contains("Attempt 1 of 3 failed"));
            first.kill();
            assertTrue(kafka.readAll(app.deadLetterTopic).isEmpty(), "dead-lettered before the attempts ended");
        }

        try (JarProcess second = JarProcess.start(app.path, Map.of(), List.of())) {
            await().atMost(TIMEOUT).until(() -> app.logLines().size() == 1);
            await().atMost(TIMEOUT).until(() -> kafka.groupCaughtUp(app.sourceGroup, app.sourceTopic));
            await().atMost(TIMEOUT).until(() -> kafka.groupCaughtUp(app.logGroup, app.deadLetterTopic));
            String output = second.output();
            assertTrue(output.contains("Attempt 1 of 3 failed"), "not retried from the first attempt:\n" + output);
            assertTrue(output.contains("failed after 3 attempts (retries-exhausted)"), output);
        }
        assertEquals(1, kafka.readAll(app.deadLetterTopic).size());
        assertEquals(1, app.logLines().size());
    }

    @Test
    void sigtermDuringRetriesCommitsOnlyFinished() throws Exception {
        app.with("redelivery.delay-ms", "2000").write(TestBroker.bootstrapServers());
        kafka.createTopic(app.sourceTopic, 1);
        RecordMetadata failing = kafka.send(app.sourceTopic, 0, utf8("in-flight"), utf8("fail"), List.of());
        kafka.send(app.sourceTopic, 0, utf8("next"), utf8("next"), List.of());
        try (JarProcess first = JarProcess.start(app.path, Map.of(), List.of())) {
            await().atMost(TIMEOUT).until(() -> first.output().contains("Attempt 1 of 3 failed"));
            first.process().destroy();
            // camel.main.shutdown-timeout is 10 s in AppDirectory.
            Integer exitCode = first.waitForExit(30);
            assertNotNull(exitCode, "no exit within the shutdown timeout");
        }
        OffsetAndMetadata committed = kafka.committedOffsets(app.sourceGroup)
                .get(new TopicPartition(app.sourceTopic, 0));
        if (committed != null && committed.offset() > failing.offset()) {
            assertEquals(1, kafka.readAll(app.deadLetterTopic).size(), "committed past a record not dead-lettered");
        }

        try (JarProcess second = JarProcess.start(app.path, Map.of(), List.of())) {
            await().atMost(TIMEOUT).until(() -> kafka.groupCaughtUp(app.sourceGroup, app.sourceTopic));
            await().atMost(TIMEOUT).until(() -> app.logLines().size() == 1);
            await().atMost(TIMEOUT).until(() -> kafka.groupCaughtUp(app.logGroup, app.deadLetterTopic));
            assertTrue(second.isAlive());
        }
        List<ConsumerRecord<byte[], byte[]>> deadLetters = kafka.readAll(app.deadLetterTopic);
        assertTrue(deadLetters.size() >= 1, "dead letters: " + deadLetters.size());
        assertTrue(deadLetters.size() <= 2, "dead letters: " + deadLetters.size());
        for (ConsumerRecord<byte[], byte[]> deadLetter : deadLetters) {
            assertEquals("io.cameldlq.task.TaskFailedException", text(deadLetter, DeadLetterHeaders.EXCEPTION_CLASS),
                    "dead-lettered because of the shutdown");
        }
        assertEquals(1, app.logLines().size());
    }

    @Test
    void killBetweenPublishAndCommitLogsOnce() throws Exception {
        app.with("camel.beans.blockingProcessor", "#class:io.cameldlq.support.BlockingTaskProcessor")
                .with("task-processing.processor", "blockingProcessor")
                .with("redelivery.delay-ms", "100")
                .write(TestBroker.bootstrapServers());
        kafka.createTopic(app.sourceTopic, 1);
        // Both records arrive in the first poll; the offset of the first is committed only after the second.
        RecordMetadata failed = kafka.send(app.sourceTopic, 0, utf8("published-twice"), utf8("fail"), List.of());
        kafka.send(app.sourceTopic, 0, utf8("holder"), utf8("block"), List.of());

        try (JarProcess first = JarProcess.startWithTestClasses(app.path, List.of())) {
            await().atMost(TIMEOUT).until(() -> first.output().contains("BLOCKING on record"));
            await().atMost(TIMEOUT).until(() -> kafka.readAll(app.deadLetterTopic).size() == 1);
            first.kill();
        }
        assertNull(kafka.committedOffsets(app.sourceGroup).get(new TopicPartition(app.sourceTopic, 0)),
                "offset committed although the second record never finished");

        app.with("task-processing.processor", "taskProcessor").write(TestBroker.bootstrapServers());
        try (JarProcess second = JarProcess.startWithTestClasses(app.path, List.of())) {
            await().atMost(TIMEOUT).until(() -> kafka.groupCaughtUp(app.sourceGroup, app.sourceTopic));
            await().atMost(TIMEOUT).until(() -> kafka.readAll(app.deadLetterTopic).size() == 2);
            await().atMost(TIMEOUT).until(() -> kafka.groupCaughtUp(app.logGroup, app.deadLetterTopic));
            assertTrue(second.isAlive());
        }

        List<ConsumerRecord<byte[], byte[]>> deadLetters = kafka.readAll(app.deadLetterTopic);
        assertEquals(2, deadLetters.size());
        for (ConsumerRecord<byte[], byte[]> copy : deadLetters) {
            assertEquals(String.valueOf(failed.offset()), text(copy, DeadLetterHeaders.ORIGINAL_OFFSET));
            assertEquals(app.sourceTopic, text(copy, DeadLetterHeaders.ORIGINAL_TOPIC));
        }
        List<String> lines = app.logLines();
        assertEquals(1, lines.size(), "log lines: " + lines);
        assertArrayEquals(utf8("published-twice"), DeadLetterLogLine.parse(lines.get(0)).key());
    }

    @Test
    void killRightAfterAppendLogsOnce() throws Exception {
        app.write(TestBroker.bootstrapServers());
        try (JarProcess first = JarProcess.start(app.path, Map.of(), List.of())) {
            await().atMost(TIMEOUT).until(() -> first.output().contains("Routes startup"));
            kafka.send(app.sourceTopic, 0, utf8("appended"), utf8("fail"), List.of());
            await().pollInterval(Duration.ofMillis(5)).atMost(TIMEOUT).until(() -> app.logLines().size() == 1);
            first.kill();
        }

        try (JarProcess second = JarProcess.start(app.path, Map.of(), List.of())) {
            await().atMost(TIMEOUT).until(() -> kafka.groupCaughtUp(app.logGroup, app.deadLetterTopic));
            assertTrue(second.isAlive());
        }
        assertEquals(1, app.logLines().size());
    }

    @Test
    void uncommittedLineAndPartialLineAreRepaired() throws Exception {
        // The state a kill leaves: one line appended but not committed, and a second append cut short.
        app.write(TestBroker.bootstrapServers());
        kafka.createTopic(app.deadLetterTopic, 1);
        RecordMetadata written = kafka.send(app.deadLetterTopic, 0, utf8("written"), utf8("v1"), List.of());
        RecordMetadata cut = kafka.send(app.deadLetterTopic, 0, utf8("cut"), utf8("v2"), List.of());
        String complete = line(written.topic(), written.offset(), "written", "v1");
        String partial = line(cut.topic(), cut.offset(), "cut", "v2").substring(0, 40);
        Files.writeString(app.logFile(), complete + partial, StandardCharsets.UTF_8);

        try (JarProcess restarted = JarProcess.start(app.path, Map.of(), List.of())) {
            await().atMost(TIMEOUT).until(() -> kafka.groupCaughtUp(app.logGroup, app.deadLetterTopic));
            assertTrue(restarted.output().contains("Removed a partial line of 40 bytes"), restarted.output());
        }
        List<String> lines = app.logLines();
        assertEquals(2, lines.size(), "log lines: " + lines);
        assertEquals(complete.strip(), lines.get(0));
        assertArrayEquals(utf8("cut"), DeadLetterLogLine.parse(lines.get(1)).key());
        assertTrue(Files.readString(app.logFile()).endsWith("\n"));
    }

    private static String line(String topic, long offset, String key, String value) {
        return new DeadLetterLogLine(Instant.now(), topic, 0, offset, null, utf8(key), utf8(value), null).format();
    }

    private static String text(ConsumerRecord<byte[], byte[]> record, String header) {
        Header found = record.headers().lastHeader(header);
        return found == null ? null : new String(found.value(), StandardCharsets.UTF_8);
    }
}
