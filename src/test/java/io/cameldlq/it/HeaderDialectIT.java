package io.cameldlq.it;

import static io.cameldlq.support.KafkaTestClient.utf8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.cameldlq.deadletter.DeadLetterHeaders;
import io.cameldlq.deadletter.log.DeadLetterLogLine;
import io.cameldlq.support.KafkaTestClient;
import io.cameldlq.support.RunningPipeline;
import io.cameldlq.support.TestBroker;

/** The diagnostic headers in each dialect, read back with a plain Kafka consumer and with kcat. */
class HeaderDialectIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void springDialectUsesSpringNamesAndEncodings() throws Exception {
        try (RunningPipeline pipeline = new RunningPipeline().with("dead-letter.header-dialect", "spring")
                .with("redelivery.delay-ms", "50").start();
                KafkaTestClient kafka = new KafkaTestClient(TestBroker.bootstrapServers())) {
            RecordMetadata failed = kafka.send(pipeline.sourceTopic, 1, utf8("k"), utf8("fail"), List.of());
            ConsumerRecord<byte[], byte[]> deadLetter = awaitDeadLetter(pipeline, kafka);

            assertEquals(pipeline.sourceTopic, text(deadLetter, "kafka_dlt-original-topic"));
            assertEquals(1, ByteBuffer.wrap(value(deadLetter, "kafka_dlt-original-partition")).getInt());
            assertEquals(failed.offset(), ByteBuffer.wrap(value(deadLetter, "kafka_dlt-original-offset")).getLong());
            assertEquals(failed.timestamp(),
                    ByteBuffer.wrap(value(deadLetter, "kafka_dlt-original-timestamp")).getLong());
            assertEquals("CreateTime", text(deadLetter, "kafka_dlt-original-timestamp-type"));
            assertEquals(pipeline.sourceGroup, text(deadLetter, "kafka_dlt-original-consumer-group"));
            assertEquals("io.cameldlq.task.TaskFailedException", text(deadLetter, "kafka_dlt-exception-fqcn"));
            assertEquals("io.cameldlq.task.TaskFailedException", text(deadLetter, "kafka_dlt-exception-cause-fqcn"));
            assertTrue(text(deadLetter, "kafka_dlt-exception-message").contains("'fail'"));
            assertTrue(text(deadLetter, "kafka_dlt-exception-stacktrace").startsWith("io.cameldlq.task."));
            assertEquals("3", text(deadLetter, DeadLetterHeaders.ATTEMPTS));
            assertEquals(DeadLetterHeaders.REASON_RETRIES_EXHAUSTED, text(deadLetter, DeadLetterHeaders.REASON));
            assertNull(deadLetter.headers().lastHeader(DeadLetterHeaders.ORIGINAL_TOPIC));
            assertLoggedWithCoordinates(pipeline, failed);
        }
    }

    @Test
    void connectDialectUsesConnectNames() throws Exception {
        try (RunningPipeline pipeline = new RunningPipeline().with("dead-letter.header-dialect", "connect")
                .with("redelivery.delay-ms", "50").start();
                KafkaTestClient kafka = new KafkaTestClient(TestBroker.bootstrapServers())) {
            RecordMetadata failed = kafka.send(pipeline.sourceTopic, 2, utf8("k"), utf8("fail"), List.of());
            ConsumerRecord<byte[], byte[]> deadLetter = awaitDeadLetter(pipeline, kafka);

            assertEquals(pipeline.sourceTopic, text(deadLetter, "__connect.errors.topic"));
            assertEquals("2", text(deadLetter, "__connect.errors.partition"));
            assertEquals(String.valueOf(failed.offset()), text(deadLetter, "__connect.errors.offset"));
            assertEquals(pipeline.sourceGroup, text(deadLetter, "__connect.errors.connector.name"));
            assertEquals("io.cameldlq.task.TaskFailedException",
                    text(deadLetter, "__connect.errors.exception.class.name"));
            assertTrue(text(deadLetter, "__connect.errors.exception.message").contains("'fail'"));
            assertTrue(text(deadLetter, "__connect.errors.exception.stacktrace").startsWith("io.cameldlq.task."));
            assertEquals("3", text(deadLetter, DeadLetterHeaders.ATTEMPTS));
            assertNull(deadLetter.headers().lastHeader(DeadLetterHeaders.ORIGINAL_TOPIC));
            assertLoggedWithCoordinates(pipeline, failed);
        }
    }

    @Test
    void deadLetteringAgainReplacesDiagnostics() throws Exception {
        try (RunningPipeline pipeline = new RunningPipeline().with("redelivery.delay-ms", "50").start();
                KafkaTestClient kafka = new KafkaTestClient(TestBroker.bootstrapServers())) {
            // A record redriven from an earlier dead letter still carries that dead letter's headers.
            List<Header> earlier = List.of(new RecordHeader("trace-id", utf8("t-1")),
                    new RecordHeader(DeadLetterHeaders.ORIGINAL_OFFSET, utf8("999")),
                    new RecordHeader(DeadLetterHeaders.ATTEMPTS, utf8("3")),
                    new RecordHeader("kafka_dlt-original-topic", utf8("elsewhere")),
                    new RecordHeader("__connect.errors.topic", utf8("elsewhere")));
            RecordMetadata failed = kafka.send(pipeline.sourceTopic, 0, utf8("again"), utf8("fail"), earlier);
            ConsumerRecord<byte[], byte[]> deadLetter = awaitDeadLetter(pipeline, kafka);

            List<String> names = new ArrayList<>();
            deadLetter.headers().forEach(h -> names.add(h.key()));
            assertEquals(1, names.stream().filter(DeadLetterHeaders.ORIGINAL_OFFSET::equals).count(), names.toString());
            assertEquals(1, names.stream().filter(DeadLetterHeaders.ATTEMPTS::equals).count(), names.toString());
            assertEquals(String.valueOf(failed.offset()), text(deadLetter, DeadLetterHeaders.ORIGINAL_OFFSET));
            assertNull(deadLetter.headers().lastHeader("kafka_dlt-original-topic"));
            assertNull(deadLetter.headers().lastHeader("__connect.errors.topic"));
            assertEquals("t-1", text(deadLetter, "trace-id"));
        }
    }

    @Test
    void kcatShowsDiagnostics() throws Exception {
        Assumptions.assumeTrue(new java.io.File("/usr/bin/kcat").canExecute(), "kcat is not installed");
        try (RunningPipeline pipeline = new RunningPipeline().with("redelivery.delay-ms", "50").start();
                KafkaTestClient kafka = new KafkaTestClient(TestBroker.bootstrapServers())) {
            RecordMetadata failed = kafka.send(pipeline.sourceTopic, 0, utf8("kcat"), utf8("fail"), List.of());
            awaitDeadLetter(pipeline, kafka);

            Process kcat = new ProcessBuilder("kcat", "-C", "-b", TestBroker.bootstrapServers(), "-t",
                    pipeline.deadLetterTopic, "-f", "%h\\n", "-e", "-q").redirectErrorStream(true).start();
            assertTrue(kcat.waitFor(60, TimeUnit.SECONDS), "kcat did not finish");
            String headers = new String(kcat.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(headers.contains("dlq-original-topic=" + pipeline.sourceTopic), headers);
            assertTrue(headers.contains("dlq-original-partition=0"), headers);
            assertTrue(headers.contains("dlq-original-offset=" + failed.offset()), headers);
            assertTrue(headers.contains("dlq-exception-class=io.cameldlq.task.TaskFailedException"), headers);
            assertTrue(headers.contains("dlq-attempts=3"), headers);
        }
    }

    private static ConsumerRecord<byte[], byte[]> awaitDeadLetter(RunningPipeline pipeline, KafkaTestClient kafka) {
        await().atMost(TIMEOUT).until(() -> pipeline.logLines().size() == 1);
        await().atMost(TIMEOUT).until(() -> kafka.groupCaughtUp(pipeline.logGroup, pipeline.deadLetterTopic));
        try {
            List<ConsumerRecord<byte[], byte[]>> deadLetters = kafka.readAll(pipeline.deadLetterTopic);
            assertEquals(1, deadLetters.size());
            return deadLetters.get(0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertLoggedWithCoordinates(RunningPipeline pipeline, RecordMetadata failed) throws Exception {
        DeadLetterLogLine line = DeadLetterLogLine.parse(pipeline.logLines().get(0));
        assertEquals(pipeline.sourceTopic, line.topic());
        assertEquals(failed.partition(), line.partition());
        assertEquals(failed.offset(), line.offset());
        assertEquals(3, line.attempts());
        assertEquals(DeadLetterHeaders.REASON_RETRIES_EXHAUSTED, line.reason());
        assertArrayEquals(utf8("fail"), line.value());
    }

    private static byte[] value(ConsumerRecord<byte[], byte[]> record, String header) {
        Header found = record.headers().lastHeader(header);
        return found == null ? null : found.value();
    }

    private static String text(ConsumerRecord<byte[], byte[]> record, String header) {
        byte[] value = value(record, header);
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }
}
