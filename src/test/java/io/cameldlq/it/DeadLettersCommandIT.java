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

import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    private String run(RunningPipeline pipeline, String... args) throws Exception {
        return JarProcess.runCommand(workingDirectory, pipeline.deadLetterTopic, args);
    }
}
