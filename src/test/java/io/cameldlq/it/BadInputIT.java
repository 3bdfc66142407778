package io.cameldlq.it;

import static io.cameldlq.support.KafkaTestClient.utf8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Random;

import org.apache.camel.Processor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cameldlq.deadletter.log.DeadLetterLogLine;
import io.cameldlq.support.KafkaTestClient;
import io.cameldlq.support.RunningPipeline;
import io.cameldlq.support.TestBroker;

/** Records that are unusual but legal: each is dead-lettered and logged exactly, nothing else happens. */
class BadInputIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final int TEN_MB = 10 * 1024 * 1024;

    private KafkaTestClient kafka;
    private RunningPipeline pipeline;

    @BeforeEach
    void start() throws Exception {
        kafka = new KafkaTestClient(TestBroker.bootstrapServers());
        Processor alwaysFail = exchange -> {
            throw new IllegalStateException("rejects every record");
        };
        pipeline = new RunningPipeline()
                .with("task-processing.processor", "alwaysFail")
                .bind("alwaysFail", alwaysFail)
                .with("redelivery.delay-ms", "10")
                .with("camel.component.kafka.max-request-size", String.valueOf(12 * 1024 * 1024))
                .start();
    }

    @AfterEach
    void stop() {
        pipeline.close();
        kafka.close();
    }

    @Test
    void unusualRecordsAreDeadLetteredExactly() throws Exception {
        Random random = new Random(42);
        byte[] randomBytes = new byte[4096];
        random.nextBytes(randomBytes);
        byte[] large = new byte[TEN_MB];
        random.nextBytes(large);
        List<Header> binaryHeaders = List.of(new RecordHeader("binary", new byte[] {(byte) 0xff, 0, (byte) 0xc3}),
                new RecordHeader("empty", new byte[0]), new RecordHeader("null-value", null));

        List<byte[][]> cases = List.of(
                new byte[][] {utf8("empty-value"), new byte[0]},
                new byte[][] {utf8("null-value"), null},
                new byte[][] {null, utf8("null-key")},
                new byte[][] {utf8("random"), randomBytes},
                new byte[][] {randomBytes, utf8("random-key")},
                new byte[][] {utf8("headers"), utf8("non-UTF-8 headers")});
        for (byte[][] record : cases) {
            List<Header> headers = Arrays.equals(record[0], utf8("headers")) ? binaryHeaders : List.of();
            kafka.send(pipeline.sourceTopic, 0, record[0], record[1], headers);
        }
        sendLarge(utf8("ten-megabytes"), large);

        await().atMost(TIMEOUT).until(() -> kafka.groupCaughtUp(pipeline.sourceGroup, pipeline.sourceTopic));
        await().atMost(TIMEOUT).until(() -> kafka.groupCaughtUp(pipeline.logGroup, pipeline.deadLetterTopic));

        List<ConsumerRecord<byte[], byte[]>> deadLetters = kafka.readAll(pipeline.deadLetterTopic);
        List<DeadLetterLogLine> lines = pipeline.logLines().stream().map(DeadLetterLogLine::parse).toList();
        assertEquals(cases.size() + 1, deadLetters.size());
        assertEquals(cases.size() + 1, lines.size());
        for (byte[][] record : cases) {
            ConsumerRecord<byte[], byte[]> deadLetter = deadLetters.stream()
                    .filter(r -> Arrays.equals(record[0], r.key())).findFirst().orElseThrow();
            assertArrayEquals(record[1], deadLetter.value());
            DeadLetterLogLine line = lines.stream().filter(l -> Arrays.equals(record[0], l.key()))
                    .findFirst().orElseThrow();
            assertArrayEquals(record[1], line.value());
        }
        ConsumerRecord<byte[], byte[]> withHeaders = deadLetters.stream()
                .filter(r -> Arrays.equals(utf8("headers"), r.key())).findFirst().orElseThrow();
        assertArrayEquals(new byte[] {(byte) 0xff, 0, (byte) 0xc3}, withHeaders.headers().lastHeader("binary").value());
        assertArrayEquals(new byte[0], withHeaders.headers().lastHeader("empty").value());
        assertNull(withHeaders.headers().lastHeader("null-value").value());
        DeadLetterLogLine largeLine = lines.stream().filter(l -> Arrays.equals(utf8("ten-megabytes"), l.key()))
                .findFirst().orElseThrow();
        // The log keeps the first dead-letter-log.max-value-bytes (64 KiB) and the original length.
        assertArrayEquals(Arrays.copyOf(large, 65536), largeLine.value());
        assertEquals(TEN_MB, largeLine.valueLength());
    }

    private void sendLarge(byte[] key, byte[] value) throws Exception {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestBroker.bootstrapServers());
        properties.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(12 * 1024 * 1024));
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(pipeline.sourceTopic, 0, key, value)).get();
        }
    }
}
