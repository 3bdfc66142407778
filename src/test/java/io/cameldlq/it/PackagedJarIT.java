package io.cameldlq.it;

import static io.cameldlq.support.KafkaTestClient.utf8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cameldlq.deadletter.log.DeadLetterLogLine;
import io.cameldlq.support.AppDirectory;
import io.cameldlq.support.JarProcess;
import io.cameldlq.support.KafkaTestClient;
import io.cameldlq.support.TestBroker;

/** {@code java -jar target/camel-dlq.jar} as users run it: its own process, working directory and config. */
class PackagedJarIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String UNREACHABLE_BROKER = "127.0.0.1:1";

    @TempDir
    Path workingDirectory;

    private KafkaTestClient kafka;
    private AppDirectory appDirectory;
    private String sourceTopic;
    private String deadLetterTopic;

    @BeforeEach
    void connect() {
        kafka = new KafkaTestClient(TestBroker.bootstrapServers());
        appDirectory = new AppDirectory(workingDirectory);
        sourceTopic = appDirectory.sourceTopic;
        deadLetterTopic = appDirectory.deadLetterTopic;
    }

    @AfterEach
    void disconnect() {
        kafka.close();
    }

    @Test
    void jarRunsReferenceScenarioWithEnvironmentSettings() throws Exception {
        copyRoutes();
        writeProperties(UNREACHABLE_BROKER);
        kafka.createTopic(sourceTopic, 2);
        try (JarProcess app = JarProcess.start(workingDirectory,
                Map.of("CAMEL_COMPONENT_KAFKA_BROKERS", TestBroker.bootstrapServers(),
                        "TASK_PROCESSING_CONSUMERS", "3"), List.of())) {
            kafka.send(sourceTopic, 0, utf8("k1"), utf8("hello"), List.of());
            kafka.send(sourceTopic, 0, utf8("order-7"), utf8("fail"),
                    List.of(new RecordHeader("trace-id", utf8("abc-123"))));
            kafka.send(sourceTopic, 1, utf8("k3"), utf8("world"), List.of());

            Path logFile = workingDirectory.resolve("dead_letter_log.txt");
            await().atMost(TIMEOUT).until(() -> Files.exists(logFile) && lines(logFile).size() == 1);
            await().atMost(TIMEOUT).until(() -> kafka.groupCaughtUp(appDirectory.sourceGroup, sourceTopic));
            await().atMost(TIMEOUT).until(() -> kafka.groupCaughtUp(appDirectory.logGroup, deadLetterTopic));

            List<ConsumerRecord<byte[], byte[]>> deadLetters = kafka.readAll(deadLetterTopic);
            assertEquals(1, deadLetters.size());
            assertArrayEquals(utf8("order-7"), deadLetters.get(0).key());
            assertArrayEquals(utf8("abc-123"), deadLetters.get(0).headers().lastHeader("trace-id").value());
            DeadLetterLogLine line = DeadLetterLogLine.parse(lines(logFile).get(0));
            assertArrayEquals(utf8("fail"), line.value());
            assertEquals(1, lines(logFile).size());
            String output = app.output();
            assertTrue(output.contains("Topic " + sourceTopic + " exists with 2 partitions, not the configured 3"),
                    "no partition-count warning in:\n" + output);
            assertTrue(output.contains("Created topic " + deadLetterTopic + " with 3 partitions"), output);
            assertTrue(output.contains("[WARN] TopicProvisioner - task-processing.consumers is 3, but topic "
                    + sourceTopic + " has 2 partitions, so 1 consumer gets no partition and stays idle"), output);
            // Each of the 3 consumers logs its share once the group is stable: one partition each, none for one.
            String consumer = "This consumer of group " + appDirectory.sourceGroup;
            await().atMost(TIMEOUT).until(() -> app.output().contains(consumer + " now owns " + sourceTopic + "-0 (")
                    && app.output().contains(consumer + " now owns " + sourceTopic + "-1 (")
                    && app.output().contains(consumer + " has no partition, so it stays idle"));
        }
    }

    @Test
    void jarRunsNonBlockingMode() throws Exception {
        appDirectory.with("redelivery.mode", "non-blocking")
                .with("redelivery.delay-ms", "100")
                .write(TestBroker.bootstrapServers());
        try (JarProcess app = JarProcess.start(workingDirectory, Map.of(), List.of())) {
            kafka.send(sourceTopic, 0, utf8("k1"), utf8("fail"), List.of());
            kafka.send(sourceTopic, 0, utf8("k2"), utf8("hello"), List.of());

            Path logFile = workingDirectory.resolve("dead_letter_log.txt");
            await().atMost(TIMEOUT).until(() -> Files.exists(logFile) && lines(logFile).size() == 1);
            DeadLetterLogLine line = DeadLetterLogLine.parse(lines(logFile).get(0));
            assertEquals(sourceTopic, line.topic());
            assertEquals(3, line.attempts());
            assertTrue(app.isAlive(), app.output());
        }
    }

    @Test
    void systemPropertyBrokersOverrideFile() throws Exception {
        copyRoutes();
        writeProperties(UNREACHABLE_BROKER);
        try (JarProcess app = JarProcess.start(workingDirectory, Map.of(),
                List.of("-Dcamel.component.kafka.brokers=" + TestBroker.bootstrapServers()))) {
            await().atMost(TIMEOUT).until(() -> app.output().contains("Routes startup"));
            await().atMost(TIMEOUT).until(() -> kafka.topics().contains(deadLetterTopic));
            assertTrue(app.isAlive());
        }
    }

    @Test
    void addedRouteFileIsLoaded() throws Exception {
        copyRoutes();
        writeProperties(TestBroker.bootstrapServers());
        Files.writeString(workingDirectory.resolve("routes/marker.camel.yaml"), String.join("\n",
                "- route:",
                "    id: marker",
                "    from:",
                "      uri: timer:marker",
                "      parameters:",
                "        repeatCount: 1",
                "      steps:",
                "        - setBody:",
                "            constant: loaded",
                "        - to: file:.?fileName=marker.txt",
                ""));
        try (JarProcess app = JarProcess.start(workingDirectory, Map.of(), List.of())) {
            Path marker = workingDirectory.resolve("marker.txt");
            await().atMost(TIMEOUT).until(() -> Files.exists(marker));
            assertEquals("loaded", Files.readString(marker));
            assertTrue(app.isAlive());
        }
    }

    @Test
    void noBrokerConfiguredFailsFast() throws Exception {
        copyRoutes();
        try (JarProcess app = JarProcess.start(workingDirectory, Map.of(), List.of())) {
            assertFailedExit(app, "still running without a broker");
            assertTrue(app.output().contains("No Kafka broker configured: set camel.component.kafka.brokers"),
                    app.output());
            assertFalse(app.output().contains("SIGTERM"), "no signal was sent: " + app.output());
        }
    }

    @Test
    void unreachableBrokerFailsWithinTimeout() throws Exception {
        copyRoutes();
        writeProperties(UNREACHABLE_BROKER);
        try (JarProcess app = JarProcess.start(workingDirectory, Map.of(), List.of("-Dbroker.timeout-ms=3000"))) {
            assertFailedExit(app, "still running against an unreachable broker");
            assertTrue(app.output().contains("Kafka broker " + UNREACHABLE_BROKER + " is not usable"), app.output());
        }
    }

    @Test
    void malformedRouteFailsStartup() throws Exception {
        copyRoutes();
        writeProperties(TestBroker.bootstrapServers());
        Files.writeString(workingDirectory.resolve("routes/broken.camel.yaml"),
                "- route:\n    id: broken\n    from:\n      uri: timer:tick\n      stepz: []\n");
        try (JarProcess app = JarProcess.start(workingDirectory, Map.of(), List.of())) {
            assertFailedExit(app, "started with a malformed route");
            assertTrue(app.output().contains("broken.camel.yaml, line 5"), app.output());
        }
    }

    @Test
    void yamlSyntaxErrorNamesLine() throws Exception {
        copyRoutes();
        writeProperties(TestBroker.bootstrapServers());
        Files.writeString(workingDirectory.resolve("routes/unclosed.camel.yaml"), "- route:\n    id: x\n  from: [\n");
        try (JarProcess app = JarProcess.start(workingDirectory, Map.of(), List.of())) {
            assertFailedExit(app, "started with a route file that is not YAML");
            assertTrue(app.output().contains("in file:routes/unclosed.camel.yaml, line 4"), app.output());
        }
    }

    @Test
    void invalidRetrySettingNamesKey() throws Exception {
        copyRoutes();
        writeProperties(TestBroker.bootstrapServers());
        try (JarProcess app = JarProcess.start(workingDirectory, Map.of(),
                List.of("-Dredelivery.not-retryable-exceptions=com.example.NoSuchException"))) {
            assertFailedExit(app, "started with an unknown exception class");
            assertTrue(app.output().contains("Invalid value 'com.example.NoSuchException' for "
                    + "redelivery.not-retryable-exceptions: class not found on the class path. The value comes from "
                    + "the system property redelivery.not-retryable-exceptions."), app.output());
            assertFalse(app.output().contains("SIGTERM"), "no signal was sent: " + app.output());
        }
    }

    @Test
    void emptyEnvironmentVariableIsNamed() throws Exception {
        copyRoutes();
        writeProperties(TestBroker.bootstrapServers());
        try (JarProcess app = JarProcess.start(workingDirectory, Map.of("TASK_PROCESSING_CONSUMERS", ""), List.of())) {
            assertFailedExit(app, "started with an empty consumer count");
            assertTrue(app.output().contains("Invalid value '' for task-processing.consumers: must be a whole "
                    + "number. The value comes from the environment variable TASK_PROCESSING_CONSUMERS, which is set "
                    + "but empty."), app.output());
        }
    }

    @Test
    void missingRoutesDirectoryFailsStartup() throws Exception {
        writeProperties(TestBroker.bootstrapServers());
        try (JarProcess app = JarProcess.start(workingDirectory, Map.of(), List.of())) {
            assertFailedExit(app, "started without the dead-letter-log route");
            assertTrue(app.output().contains("Routes directory routes not found"), app.output());
        }
    }

    @Test
    void sendCommandPrintsPartitionAndOffset() throws Exception {
        kafka.createTopic(sourceTopic, 1);
        try (JarProcess send = JarProcess.start(workingDirectory, Map.of(), List.of(), "send",
                "--brokers", TestBroker.bootstrapServers(), "--topic", sourceTopic, "--key", "k",
                "--header", "origin=cli", "first", "second")) {
            assertEquals(0, send.waitForExit(60), send.output());
            assertTrue(send.output().contains("sent " + sourceTopic + "-0@0 first"), send.output());
            assertTrue(send.output().contains("sent " + sourceTopic + "-0@1 second"), send.output());
        }
        List<ConsumerRecord<byte[], byte[]>> records = kafka.readAll(sourceTopic);
        assertEquals(2, records.size());
        assertArrayEquals(utf8("k"), records.get(0).key());
        assertArrayEquals(utf8("cli"), records.get(0).headers().lastHeader("origin").value());
        assertArrayEquals(utf8("second"), records.get(1).value());
    }

    @Test
    void sendCommandRejectsBadHeader() throws Exception {
        try (JarProcess send = JarProcess.start(workingDirectory, Map.of(), List.of(), "send",
                "--brokers", UNREACHABLE_BROKER, "--header", "no-separator", "value")) {
            assertEquals(2, send.waitForExit(60), send.output());
            assertTrue(send.output().contains("Invalid header 'no-separator': expected NAME=VALUE"), send.output());
        }
    }

    @Test
    void sendCommandChoosesPartition() throws Exception {
        kafka.createTopic(sourceTopic, 3);
        try (JarProcess send = JarProcess.start(workingDirectory, Map.of(), List.of(), "send",
                "--brokers", TestBroker.bootstrapServers(), "--topic", sourceTopic, "--partition", "3", "value")) {
            assertEquals(2, send.waitForExit(60), send.output());
            assertEquals("Invalid --partition 3: topic " + sourceTopic + " has partitions 0 to 2",
                    send.output().strip());
        }
        try (JarProcess send = JarProcess.start(workingDirectory, Map.of(), List.of(), "send",
                "--brokers", TestBroker.bootstrapServers(), "--topic", sourceTopic, "-p", "2", "--key", "k",
                "first", "second")) {
            assertEquals(0, send.waitForExit(60), send.output());
            assertTrue(send.output().contains("sent " + sourceTopic + "-2@0 first"), send.output());
            assertTrue(send.output().contains("sent " + sourceTopic + "-2@1 second"), send.output());
        }
        List<ConsumerRecord<byte[], byte[]>> records = kafka.readAll(sourceTopic);
        assertEquals(2, records.size(), "the rejected send sent nothing");
        records.forEach(record -> assertEquals(2, record.partition()));
    }

    @Test
    void sendCommandReportsMissingTopic() throws Exception {
        String missing = KafkaTestClient.uniqueName("no-such-topic");
        long startedAt = System.nanoTime();
        try (JarProcess send = JarProcess.start(workingDirectory, Map.of(), List.of(), "send",
                "--brokers", TestBroker.bootstrapServers(), "--topic", missing, "value")) {
            assertEquals(1, send.waitForExit(60), send.output());
            assertEquals("Topic " + missing + " not found at " + TestBroker.bootstrapServers(), send.output().strip());
        }
        // The topic lookup fails at once; a run as long as the 15 s send timeout means it did not happen.
        assertTrue(System.nanoTime() - startedAt < Duration.ofSeconds(12).toNanos(), "took the send timeout");
    }

    @Test
    void sendCommandNamesUnreachableBroker() throws Exception {
        String closedBroker = TestBroker.closedAddress();
        try (JarProcess send = JarProcess.start(workingDirectory, Map.of(), List.of(), "send",
                "--brokers", closedBroker, "--topic", "orders", "--timeout-ms", "2000", "value")) {
            assertEquals(1, send.waitForExit(60), send.output());
            String output = send.output().strip();
            assertTrue(output.contains("Timed out after 2000 ms looking up topic orders at " + closedBroker), output);
            assertFalse(output.contains(".."), output);
            assertEquals(1, output.lines().count(), output);
        }
    }

    /** Waits for {@code app} to exit and asserts a non-zero exit code; {@code stillRunning} explains a timeout. */
    private static void assertFailedExit(JarProcess app, String stillRunning) throws InterruptedException {
        Integer exitCode = app.waitForExit(60);
        assertNotNull(exitCode, stillRunning);
        assertNotEquals(0, exitCode);
    }

    private void copyRoutes() throws IOException {
        appDirectory.writeRoutes();
    }

    private void writeProperties(String brokers) throws IOException {
        appDirectory.writeProperties(brokers);
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }
}
