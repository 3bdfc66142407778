package io.cameldlq.it;

import static io.cameldlq.support.KafkaTestClient.utf8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.component.kafka.PollOnError;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cameldlq.deadletter.DeadLetterHeaders;
import io.cameldlq.deadletter.log.DeadLetterLogLine;
import io.cameldlq.metrics.PipelineMetrics;
import io.cameldlq.retry.RetryHeaders;
import io.cameldlq.support.Http;
import io.cameldlq.support.JarProcess;
import io.cameldlq.support.KafkaTestClient;
import io.cameldlq.support.RecordingTaskProcessor.Attempt;
import io.cameldlq.support.RunningPipeline;
import io.cameldlq.support.TestBroker;
import io.cameldlq.task.TaskFailedException;

/** {@code redelivery.mode = non-blocking} end to end on a real broker: the retry topic, its route and restarts. */
class NonBlockingRetryIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path workingDirectory;

    private KafkaTestClient kafka;
    private final List<RunningPipeline> pipelines = new ArrayList<>();

    @BeforeEach
    void connect() {
        kafka = new KafkaTestClient(TestBroker.bootstrapServers());
    }

    @AfterEach
    void stop() {
        pipelines.forEach(RunningPipeline::close);
        kafka.close();
    }

    @Test
    void healthyRecordsOvertakeFailingOne() throws Exception {
        RunningPipeline pipeline = nonBlocking(new RunningPipeline(), 1500).start();
        kafka.send(pipeline.sourceTopic, 0, utf8("k-fail"), utf8("fail"), List.of());
        for (int i = 1; i <= 5; i++) {
            kafka.send(pipeline.sourceTopic, 0, utf8("k-" + i), utf8("healthy-" + i), List.of());
        }

        await().atMost(TIMEOUT).until(() -> pipeline.processor.attemptsOf(utf8("fail")).size() >= 2);

        long secondFailAttempt = pipeline.processor.attemptsOf(utf8("fail")).get(1).nanoTime();
        for (int i = 1; i <= 5; i++) {
            List<Attempt> attempts = pipeline.processor.attemptsOf(utf8("healthy-" + i));
            assertEquals(1, attempts.size(), "attempts of healthy-" + i);
            assertTrue(attempts.get(0).nanoTime() < secondFailAttempt,
                    "healthy-" + i + " was processed after the second attempt of the failing record");
        }
    }

    @Test
    void failingRecordIsDeadLetteredAfterThreeAttempts() throws Exception {
        long delayMs = 700;
        RunningPipeline pipeline = nonBlocking(new RunningPipeline(), delayMs).start();
        List<Header> headers = List.of(new RecordHeader("trace-id", utf8("abc-123")));
        RecordMetadata failed = kafka.send(pipeline.sourceTopic, 1, utf8("order-7"), utf8("fail"), headers);

        await().atMost(TIMEOUT).until(() -> pipeline.logLines().size() == 1);
        await().atMost(TIMEOUT).until(() -> kafka.groupCaughtUp(retryGroup(pipeline), retryTopic(pipeline)));
        await().atMost(TIMEOUT).until(() -> kafka.groupCaughtUp(pipeline.sourceGroup, pipeline.sourceTopic));

        List<Attempt> attempts = pipeline.processor.attemptsOf(utf8("fail"));
        assertEquals(3, attempts.size());
        for (int i = 1; i < attempts.size(); i++) {
            long gapMs = (attempts.get(i).nanoTime() - attempts.get(i - 1).nanoTime()) / 1_000_000;
            // Due times count from failure times cut to whole milliseconds, and the wait reads the wall clock.
            assertTrue(gapMs >= delayMs - 10, "attempts " + i + " and " + (i + 1) + " only " + gapMs + " ms apart");
        }

        List<ConsumerRecord<byte[], byte[]>> retries = kafka.readAll(retryTopic(pipeline));
        assertEquals(2, retries.size());
        for (int i = 0; i < retries.size(); i++) {
            ConsumerRecord<byte[], byte[]> retry = retries.get(i);
            assertEquals(String.valueOf(i + 1), text(retry, RetryHeaders.ATTEMPTS));
            assertEquals(pipeline.sourceTopic, text(retry, RetryHeaders.SOURCE_TOPIC));
            assertEquals("1", text(retry, RetryHeaders.SOURCE_PARTITION));
            assertEquals(String.valueOf(failed.offset()), text(retry, RetryHeaders.SOURCE_OFFSET));
            assertEquals(String.valueOf(failed.timestamp()), text(retry, RetryHeaders.SOURCE_TIMESTAMP));
            assertEquals("CreateTime", text(retry, RetryHeaders.SOURCE_TIMESTAMP_TYPE));
            assertEquals("io.cameldlq.task.TaskFailedException", text(retry, RetryHeaders.EXCEPTION_CLASS));
            long due = Long.parseLong(text(retry, RetryHeaders.DUE_TIME));
            long lastFailure = Long.parseLong(text(retry, RetryHeaders.LAST_FAILURE_TIME));
            assertEquals(delayMs, due - lastFailure);
            assertArrayEquals(utf8("order-7"), retry.key());
            assertArrayEquals(utf8("fail"), retry.value());
            assertArrayEquals(utf8("abc-123"), retry.headers().lastHeader("trace-id").value());
            assertEquals(failed.timestamp(), retry.timestamp());
        }
        String firstFailure = text(retries.get(0), RetryHeaders.FIRST_FAILURE_TIME);
        assertEquals(firstFailure, text(retries.get(1), RetryHeaders.FIRST_FAILURE_TIME));

        List<ConsumerRecord<byte[], byte[]>> deadLetters = kafka.readAll(pipeline.deadLetterTopic);
        assertEquals(1, deadLetters.size());
        ConsumerRecord<byte[], byte[]> deadLetter = deadLetters.get(0);
        assertArrayEquals(utf8("order-7"), deadLetter.key());
        assertArrayEquals(utf8("fail"), deadLetter.value());
        assertArrayEquals(utf8("abc-123"), deadLetter.headers().lastHeader("trace-id").value());
        assertEquals(failed.timestamp(), deadLetter.timestamp());
        assertEquals(1, deadLetter.partition());
        assertEquals(pipeline.sourceTopic, text(deadLetter, DeadLetterHeaders.ORIGINAL_TOPIC));
        assertEquals("1", text(deadLetter, DeadLetterHeaders.ORIGINAL_PARTITION));
        assertEquals(String.valueOf(failed.offset()), text(deadLetter, DeadLetterHeaders.ORIGINAL_OFFSET));
        assertEquals(String.valueOf(failed.timestamp()), text(deadLetter, DeadLetterHeaders.ORIGINAL_TIMESTAMP));
        assertEquals("CreateTime", text(deadLetter, DeadLetterHeaders.ORIGINAL_TIMESTAMP_TYPE));
        assertEquals(pipeline.sourceGroup, text(deadLetter, DeadLetterHeaders.CONSUMER_GROUP));
        assertEquals("3", text(deadLetter, DeadLetterHeaders.ATTEMPTS));
        assertEquals(DeadLetterHeaders.REASON_RETRIES_EXHAUSTED, text(deadLetter, DeadLetterHeaders.REASON));
        assertEquals("io.cameldlq.task.TaskFailedException", text(deadLetter, DeadLetterHeaders.EXCEPTION_CLASS));
        assertTrue(text(deadLetter, DeadLetterHeaders.EXCEPTION_STACK_TRACE)
                .startsWith("io.cameldlq.task.TaskFailedException: Task value 'fail'"));
        Instant first = Instant.parse(text(deadLetter, DeadLetterHeaders.FIRST_FAILURE_TIME));
        Instant last = Instant.parse(text(deadLetter, DeadLetterHeaders.LAST_FAILURE_TIME));
        assertEquals(Long.parseLong(firstFailure), first.toEpochMilli());
        assertTrue(Duration.between(first, last).toMillis() >= 2 * delayMs, first + " to " + last);
        for (Header header : deadLetter.headers()) {
            assertFalse(header.key().startsWith(RetryHeaders.PREFIX), "dead letter carries " + header.key());
            assertFalse(header.key().startsWith(DeadLetterHeaders.PREFIX + "internal-"),
                    "dead letter carries " + header.key());
        }

        DeadLetterLogLine line = DeadLetterLogLine.parse(pipeline.logLines().get(0));
        assertEquals(pipeline.sourceTopic, line.topic());
        assertEquals(1, line.partition());
        assertEquals(failed.offset(), line.offset());
        assertEquals(3, line.attempts());

        PipelineMetrics metrics = PipelineMetrics.of(pipeline.context());
        assertEquals(3, metrics.totals().failedAttempts());
        assertEquals(1, metrics.totals().deadLettered());
        assertEquals(0, metrics.totals().processed());
        assertEquals(2, redeliveries(metrics));
    }

    @Test
    void consumersRetryTheirOwnPartitions() throws Exception {
        RunningPipeline pipeline = nonBlocking(new RunningPipeline(), 300).with("task-processing.consumers", "3")
                .start();
        await().atMost(TIMEOUT)
                .until(() -> kafka.membersWithPartitions(pipeline.sourceGroup, pipeline.sourceTopic) == 3);
        for (int partition = 0; partition < 3; partition++) {
            kafka.send(pipeline.sourceTopic, partition, utf8("k-fail"), utf8("fail"), List.of());
            for (int i = 0; i < 5; i++) {
                String value = "healthy-" + partition + "-" + i;
                kafka.send(pipeline.sourceTopic, partition, utf8("k"), utf8(value), List.of());
            }
        }

        await().atMost(TIMEOUT).until(() -> pipeline.logLines().size() == 3);
        await().atMost(TIMEOUT).until(() -> kafka.groupCaughtUp(pipeline.sourceGroup, pipeline.sourceTopic));
        await().atMost(TIMEOUT).until(() -> kafka.groupCaughtUp(retryGroup(pipeline), retryTopic(pipeline)));

        assertEquals(9, pipeline.processor.attemptsOf(utf8("fail")).size(), "attempts of the 3 failing records");
        for (int partition = 0; partition < 3; partition++) {
            for (int i = 0; i < 5; i++) {
                String value = "healthy-" + partition + "-" + i;
                assertEquals(1, pipeline.processor.attemptsOf(utf8(value)).size(), value);
            }
        }
        List<String> deadLetterPartitions = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> deadLetter : kafka.readAll(pipeline.deadLetterTopic)) {
            deadLetterPartitions.add(text(deadLetter, DeadLetterHeaders.ORIGINAL_PARTITION));
            assertEquals("3", text(deadLetter, DeadLetterHeaders.ATTEMPTS));
        }
        deadLetterPartitions.sort(null);
        assertEquals(List.of("0", "1", "2"), deadLetterPartitions);
        assertEquals(3, PipelineMetrics.of(pipeline.context()).totals().deadLettered());
    }

    @Test
    void recordFailingOnceIsProcessedOnRetry() throws Exception {
        FailingOnceProcessor flaky = new FailingOnceProcessor();
        RunningPipeline pipeline = nonBlocking(new RunningPipeline(), 300)
                .bind("failingOnceProcessor", flaky)
                .with("task-processing.processor", "failingOnceProcessor")
                .start();
        List<Header> headers = List.of(new RecordHeader("trace-id", utf8("t-9")));
        RecordMetadata sent = kafka.send(pipeline.sourceTopic, 2, utf8("k"), utf8("flaky"), headers);

        await().atMost(TIMEOUT).until(() -> flaky.seen.size() >= 2);
        await().atMost(TIMEOUT).until(() -> kafka.groupCaughtUp(retryGroup(pipeline), retryTopic(pipeline)));
        await().atMost(TIMEOUT).until(() -> kafka.groupCaughtUp(pipeline.sourceGroup, pipeline.sourceTopic));

        assertEquals(2, flaky.seen.size());
        assertEquals(1, kafka.readAll(retryTopic(pipeline)).size());
        assertEquals(0, kafka.readAll(pipeline.deadLetterTopic).size());

        Map<String, Object> first = flaky.seen.get(0);
        Map<String, Object> second = flaky.seen.get(1);
        assertEquals(first.keySet(), second.keySet());
        assertEquals(pipeline.sourceTopic, second.get(KafkaConstants.TOPIC));
        assertEquals(2, second.get(KafkaConstants.PARTITION));
        assertEquals(sent.offset(), second.get(KafkaConstants.OFFSET));
        assertEquals(sent.timestamp(), second.get(KafkaConstants.TIMESTAMP));
        assertArrayEquals(utf8("t-9"), (byte[]) second.get("trace-id"));
        assertArrayEquals(utf8("flaky"), (byte[]) second.get(FailingOnceProcessor.BODY));

        PipelineMetrics metrics = PipelineMetrics.of(pipeline.context());
        assertEquals(1, metrics.totals().processed());
        assertEquals(1, metrics.totals().failedAttempts());
        assertEquals(0, metrics.totals().deadLettered());
        assertEquals(1, redeliveries(metrics));
    }

    @Test
    void notRetryableRecordSkipsRetryTopic() throws Exception {
        RunningPipeline pipeline = nonBlocking(new RunningPipeline(), 300).start();
        kafka.send(pipeline.sourceTopic, 0, utf8("empty"), new byte[0], List.of());

        await().atMost(TIMEOUT).until(() -> pipeline.logLines().size() == 1);
        await().atMost(TIMEOUT).until(() -> kafka.groupCaughtUp(pipeline.sourceGroup, pipeline.sourceTopic));

        assertEquals(1, pipeline.processor.attemptsOf(new byte[0]).size());
        assertEquals(0, kafka.readAll(retryTopic(pipeline)).size());
        ConsumerRecord<byte[], byte[]> deadLetter = kafka.readAll(pipeline.deadLetterTopic).get(0);
        assertEquals(DeadLetterHeaders.REASON_NOT_RETRYABLE, text(deadLetter, DeadLetterHeaders.REASON));
        assertEquals("1", text(deadLetter, DeadLetterHeaders.ATTEMPTS));
        assertEquals(pipeline.sourceTopic, text(deadLetter, DeadLetterHeaders.ORIGINAL_TOPIC));
    }

    @Test
    void noRedeliveriesSkipsRetryTopic() throws Exception {
        RunningPipeline pipeline = nonBlocking(new RunningPipeline(), 300)
                .with("redelivery.maximum-redeliveries", "0")
                .start();
        kafka.send(pipeline.sourceTopic, 0, utf8("k"), utf8("fail"), List.of());

        await().atMost(TIMEOUT).until(() -> pipeline.logLines().size() == 1);
        await().atMost(TIMEOUT).until(() -> kafka.groupCaughtUp(pipeline.sourceGroup, pipeline.sourceTopic));

        assertEquals(1, pipeline.processor.attemptsOf(utf8("fail")).size());
        assertEquals(0, kafka.readAll(retryTopic(pipeline)).size());
        ConsumerRecord<byte[], byte[]> deadLetter = kafka.readAll(pipeline.deadLetterTopic).get(0);
        assertEquals(DeadLetterHeaders.REASON_RETRIES_EXHAUSTED, text(deadLetter, DeadLetterHeaders.REASON));
        assertEquals("1", text(deadLetter, DeadLetterHeaders.ATTEMPTS));
    }

    @Test
    void restartDuringRetryWaitLosesNothing() throws Exception {
        RunningPipeline first = nonBlocking(new RunningPipeline(), 3000).start();
        RecordMetadata failed = kafka.send(first.sourceTopic, 0, utf8("k"), utf8("fail"), List.of());
        // The first retry record is published; its attempt is due 3 s later.
        await().atMost(TIMEOUT).until(() -> kafka.readAll(retryTopic(first)).size() == 1);
        first.close();
        assertEquals(1, first.processor.attemptsOf(utf8("fail")).size());

        RunningPipeline second = nonBlocking(new RunningPipeline(first), 3000).start();
        await().atMost(TIMEOUT).until(() -> second.logLines().size() == 1);
        await().atMost(TIMEOUT).until(() -> kafka.groupCaughtUp(retryGroup(second), retryTopic(second)));

        assertEquals(2, second.processor.attemptsOf(utf8("fail")).size());
        assertEquals(2, kafka.readAll(retryTopic(second)).size());
        List<ConsumerRecord<byte[], byte[]>> deadLetters = kafka.readAll(second.deadLetterTopic);
        assertEquals(1, deadLetters.size());
        ConsumerRecord<byte[], byte[]> deadLetter = deadLetters.get(0);
        assertEquals("3", text(deadLetter, DeadLetterHeaders.ATTEMPTS));
        assertEquals(first.sourceTopic, text(deadLetter, DeadLetterHeaders.ORIGINAL_TOPIC));
        assertEquals(String.valueOf(failed.offset()), text(deadLetter, DeadLetterHeaders.ORIGINAL_OFFSET));
        String firstFailure = text(kafka.readAll(retryTopic(first)).get(0), RetryHeaders.FIRST_FAILURE_TIME);
        assertEquals(Long.parseLong(firstFailure),
                Instant.parse(text(deadLetter, DeadLetterHeaders.FIRST_FAILURE_TIME)).toEpochMilli());
    }

    @Test
    void logAppendTimeSurvivesRetryTopic() throws Exception {
        RunningPipeline pipeline = nonBlocking(new RunningPipeline(), 100);
        kafka.createTopic(pipeline.sourceTopic, 1, Map.of("message.timestamp.type", "LogAppendTime"));
        pipeline.start();
        kafka.send(pipeline.sourceTopic, 0, utf8("k"), utf8("fail"), List.of());

        await().atMost(TIMEOUT).until(() -> pipeline.logLines().size() == 1);
        ConsumerRecord<byte[], byte[]> consumed = kafka.readAll(pipeline.sourceTopic).get(0);
        for (ConsumerRecord<byte[], byte[]> retry : kafka.readAll(retryTopic(pipeline))) {
            assertEquals("LogAppendTime", text(retry, RetryHeaders.SOURCE_TIMESTAMP_TYPE));
        }
        ConsumerRecord<byte[], byte[]> deadLetter = kafka.readAll(pipeline.deadLetterTopic).get(0);
        assertEquals("LogAppendTime", text(deadLetter, DeadLetterHeaders.ORIGINAL_TIMESTAMP_TYPE));
        assertEquals(String.valueOf(consumed.timestamp()), text(deadLetter, DeadLetterHeaders.ORIGINAL_TIMESTAMP));
        assertNull(deadLetter.headers().lastHeader(DeadLetterHeaders.TIMESTAMP_TYPE_CARRIER));
    }

    @Test
    void missingRetryTopicKeepsSourceUncommitted() throws Exception {
        RunningPipeline pipeline = nonBlocking(new RunningPipeline(), 100)
                .with("topics.provision", "false")
                .with("dead-letter.publish-timeout-ms", "1000");
        kafka.createTopic(pipeline.sourceTopic, 1);
        kafka.createTopic(pipeline.deadLetterTopic, 1);
        pipeline.start();
        RecordMetadata failed = kafka.send(pipeline.sourceTopic, 0, utf8("stuck"), utf8("fail"), List.of());
        kafka.send(pipeline.sourceTopic, 0, utf8("after"), utf8("later"), List.of());

        // A second first attempt shows the record was polled again after the failed publish.
        await().atMost(TIMEOUT).until(() -> pipeline.processor.attemptsOf(utf8("fail")).size() >= 2);
        OffsetAndMetadata committed = kafka.committedOffsets(pipeline.sourceGroup)
                .get(new TopicPartition(pipeline.sourceTopic, 0));
        assertTrue(committed == null || committed.offset() <= failed.offset(),
                "committed past the failed record: " + committed);

        kafka.createTopic(retryTopic(pipeline), 1);

        await().atMost(TIMEOUT).until(() -> pipeline.logLines().size() == 1);
        await().atMost(TIMEOUT).until(() -> kafka.groupCaughtUp(pipeline.sourceGroup, pipeline.sourceTopic));
        await().atMost(TIMEOUT).until(() -> kafka.groupCaughtUp(retryGroup(pipeline), retryTopic(pipeline)));
        List<ConsumerRecord<byte[], byte[]>> deadLetters = kafka.readAll(pipeline.deadLetterTopic);
        assertEquals(1, deadLetters.size());
        assertEquals("3", text(deadLetters.get(0), DeadLetterHeaders.ATTEMPTS));
        assertEquals(String.valueOf(failed.offset()), text(deadLetters.get(0), DeadLetterHeaders.ORIGINAL_OFFSET));
        // The consumer did not wait for the failed publish, so the record after it ran too, and runs again.
        assertTrue(pipeline.processor.attemptsOf(utf8("later")).size() >= 2, "record after the failure ran once");
    }

    @Test
    void missingDeadLetterTopicKeepsRetryRecordUncommitted() throws Exception {
        RunningPipeline pipeline = nonBlocking(new RunningPipeline(), 100)
                .with("redelivery.maximum-redeliveries", "1")
                .with("topics.provision", "false")
                .with("dead-letter.publish-timeout-ms", "1000");
        kafka.createTopic(pipeline.sourceTopic, 1);
        kafka.createTopic(retryTopic(pipeline), 1);
        pipeline.start();
        RecordMetadata failed = kafka.send(pipeline.sourceTopic, 0, utf8("stuck"), utf8("fail"), List.of());

        // Attempt 2 runs again after its dead letter could not be published.
        await().atMost(TIMEOUT).until(() -> pipeline.processor.attemptsOf(utf8("fail")).size() >= 3);
        OffsetAndMetadata committed = kafka.committedOffsets(retryGroup(pipeline))
                .get(new TopicPartition(retryTopic(pipeline), 0));
        assertTrue(committed == null || committed.offset() == 0, "committed past the retry record: " + committed);
        PipelineMetrics metrics = PipelineMetrics.of(pipeline.context());
        assertTrue(metrics.totals().publishFailures() >= 1, "the failed dead-letter publish is counted");
        assertEquals(0, metrics.totals().deadLettered(), "a dead letter that failed to publish is not counted");

        kafka.createTopic(pipeline.deadLetterTopic, 1);

        await().atMost(TIMEOUT).until(() -> pipeline.logLines().size() == 1);
        await().atMost(TIMEOUT).until(() -> kafka.groupCaughtUp(retryGroup(pipeline), retryTopic(pipeline)));
        assertEquals(1, kafka.readAll(retryTopic(pipeline)).size());
        List<ConsumerRecord<byte[], byte[]>> deadLetters = kafka.readAll(pipeline.deadLetterTopic);
        assertEquals(1, deadLetters.size());
        assertEquals("2", text(deadLetters.get(0), DeadLetterHeaders.ATTEMPTS));
        assertEquals(String.valueOf(failed.offset()), text(deadLetters.get(0), DeadLetterHeaders.ORIGINAL_OFFSET));
        assertEquals(1, metrics.totals().deadLettered());
    }

    @Test
    void redriveSendsDeadLetterBackToSourceTopic() throws Exception {
        RunningPipeline pipeline = nonBlocking(new RunningPipeline(), 50).start();
        kafka.send(pipeline.sourceTopic, 0, utf8("stubborn"), utf8("fail"), List.of());
        await().atMost(TIMEOUT).until(() -> pipeline.logLines().size() == 1);

        String output = JarProcess.runCommand(workingDirectory, pipeline.deadLetterTopic, "redrive");

        assertTrue(output.contains("-> " + pipeline.sourceTopic + " (redrive 1)"), output);
        // Redriven, the record fails again, goes through the retry topic again and is dead-lettered again.
        await().atMost(TIMEOUT).until(() -> kafka.readAll(pipeline.deadLetterTopic).size() == 2);
        ConsumerRecord<byte[], byte[]> again = kafka.readAll(pipeline.deadLetterTopic).stream()
                .filter(record -> record.headers().lastHeader(DeadLetterHeaders.REDRIVE_COUNT) != null)
                .findFirst().orElseThrow();
        assertEquals("1", text(again, DeadLetterHeaders.REDRIVE_COUNT));
        assertEquals("3", text(again, DeadLetterHeaders.ATTEMPTS));
        assertEquals(pipeline.sourceTopic, text(again, DeadLetterHeaders.ORIGINAL_TOPIC));
        assertEquals(6, pipeline.processor.attemptsOf(utf8("fail")).size());
    }

    @Test
    void springDialectNamesSourceRecord() throws Exception {
        RunningPipeline pipeline = nonBlocking(new RunningPipeline(), 50)
                .with("dead-letter.header-dialect", "spring")
                .start();
        RecordMetadata failed = kafka.send(pipeline.sourceTopic, 2, utf8("k"), utf8("fail"), List.of());

        await().atMost(TIMEOUT).until(() -> pipeline.logLines().size() == 1);
        await().atMost(TIMEOUT).until(() -> kafka.groupCaughtUp(pipeline.logGroup, pipeline.deadLetterTopic));

        ConsumerRecord<byte[], byte[]> deadLetter = kafka.readAll(pipeline.deadLetterTopic).get(0);
        assertEquals(pipeline.sourceTopic, text(deadLetter, "kafka_dlt-original-topic"));
        assertEquals(2, ByteBuffer.wrap(deadLetter.headers().lastHeader("kafka_dlt-original-partition").value())
                .getInt());
        assertEquals(failed.offset(),
                ByteBuffer.wrap(deadLetter.headers().lastHeader("kafka_dlt-original-offset").value()).getLong());
        assertEquals(pipeline.sourceGroup, text(deadLetter, "kafka_dlt-original-consumer-group"));
        assertEquals("3", text(deadLetter, DeadLetterHeaders.ATTEMPTS));
        assertEquals(2, deadLetter.partition());
    }

    @Test
    void retryRouteConsumesLikeTaskRoute() throws Exception {
        int port = Http.freePort();
        RunningPipeline pipeline = nonBlocking(new RunningPipeline(), 1000)
                .with("camel.management.port", String.valueOf(port))
                .with("monitoring.lag-interval-seconds", "1")
                .start();

        KafkaEndpoint endpoint = (KafkaEndpoint) pipeline.context().getRoute("task-processing-retry").getEndpoint();
        assertEquals(retryTopic(pipeline), endpoint.getConfiguration().getTopic());
        assertEquals(retryGroup(pipeline), endpoint.getConfiguration().getGroupId());
        assertEquals(PollOnError.RECONNECT, endpoint.getConfiguration().getPollOnError());
        assertTrue(endpoint.getConfiguration().isBreakOnFirstError());
        assertTrue(endpoint.getConfiguration().isAllowManualCommit());
        assertFalse(endpoint.getConfiguration().isAutoCommitEnable());
        assertEquals(3, kafka.partitionCount(retryTopic(pipeline)));
        // Retry records are fetched in batches: the 50 ms linger plus the fetch wait is half the 1000 ms pause.
        // Task records are not.
        assertEquals(65_536, endpoint.getConfiguration().getFetchMinBytes());
        assertEquals(450, endpoint.getConfiguration().getFetchWaitMaxMs());
        KafkaEndpoint taskEndpoint = (KafkaEndpoint) pipeline.context().getRoute("task-processing").getEndpoint();
        assertEquals(1, taskEndpoint.getConfiguration().getFetchMinBytes());
        // Both publishes of a failed attempt wait 50 ms to share a request, because no consumer waits for them.
        assertEquals(50, producerOf(pipeline, retryTopic(pipeline)).getConfiguration().getLingerMs());
        assertEquals(50, producerOf(pipeline, pipeline.deadLetterTopic).getConfiguration().getLingerMs());

        await().atMost(TIMEOUT).until(() -> Http.get(port, "/observe/health/ready").statusCode() == 200);
        HttpResponse<String> ready = Http.get(port, "/observe/health/ready?exposureLevel=full");
        assertTrue(ready.body().contains("task-processing-retry"), ready.body());
        await().atMost(TIMEOUT).until(() -> Double.valueOf(0).equals(Http.metric(
                Http.get(port, "/observe/metrics").body(), "dlq_consumer_lag", Map.of("group", retryGroup(pipeline),
                        "topic", retryTopic(pipeline), "partition", "2"))));
    }

    @Test
    void publishLingerCanBeTurnedOff() throws Exception {
        RunningPipeline pipeline = nonBlocking(new RunningPipeline(), 300)
                .with("redelivery.publish-linger-ms", "0")
                .start();
        kafka.send(pipeline.sourceTopic, 0, utf8("k"), utf8("fail"), List.of());

        await().atMost(TIMEOUT).until(() -> pipeline.logLines().size() == 1);
        assertEquals(0, producerOf(pipeline, retryTopic(pipeline)).getConfiguration().getLingerMs());
        assertEquals(0, producerOf(pipeline, pipeline.deadLetterTopic).getConfiguration().getLingerMs());
    }

    @Test
    void shortPauseLimitsRetryBatching() throws Exception {
        // The retry producer lingers a quarter of the 100 ms pause at most. The 25 ms left of half the pause
        // is too short a fetch wait to batch for, and dead letters have no due time to keep.
        RunningPipeline pipeline = nonBlocking(new RunningPipeline(), 100).start();
        kafka.send(pipeline.sourceTopic, 0, utf8("k"), utf8("fail"), List.of());

        await().atMost(TIMEOUT).until(() -> pipeline.logLines().size() == 1);
        KafkaEndpoint endpoint = (KafkaEndpoint) pipeline.context().getRoute("task-processing-retry").getEndpoint();
        assertEquals(1, endpoint.getConfiguration().getFetchMinBytes());
        assertEquals(25, producerOf(pipeline, retryTopic(pipeline)).getConfiguration().getLingerMs());
        assertEquals(50, producerOf(pipeline, pipeline.deadLetterTopic).getConfiguration().getLingerMs());
        assertEquals(3, DeadLetterLogLine.parse(pipeline.logLines().get(0)).attempts());
    }

    @Test
    void embeddedBrokerRunsRetries() throws Exception {
        // The dev profile's broker starts after the routes were configured, so the consumers that hold back
        // commits must still get its address.
        int port = Http.freePort();
        RunningPipeline pipeline = nonBlocking(new RunningPipeline(), 100)
                .without("camel.component.kafka.brokers")
                .with("embedded-broker.enabled", "true")
                .with("embedded-broker.port", String.valueOf(port))
                .with("embedded-broker.data-directory", workingDirectory.resolve("broker").toString())
                .profile("dev")
                .start();
        try (KafkaTestClient embedded = new KafkaTestClient("localhost:" + port)) {
            embedded.send(pipeline.sourceTopic, 0, utf8("dev"), utf8("fail"), List.of());
            embedded.send(pipeline.sourceTopic, 0, utf8("dev"), utf8("fine"), List.of());

            await().atMost(TIMEOUT).until(() -> pipeline.logLines().size() == 1);
            assertEquals(3, DeadLetterLogLine.parse(pipeline.logLines().get(0)).attempts());
            await().atMost(TIMEOUT).until(() -> embedded.groupCaughtUp(pipeline.sourceGroup, pipeline.sourceTopic));
            await().atMost(TIMEOUT).until(() -> embedded.groupCaughtUp(retryGroup(pipeline), retryTopic(pipeline)));
            assertEquals(1, pipeline.processor.attemptsOf(utf8("fine")).size());
        }
    }

    @Test
    void blockingModeHasNoRetryTopic() throws Exception {
        RunningPipeline pipeline = track(new RunningPipeline()).start();

        assertNull(pipeline.context().getRoute("task-processing-retry"));
        assertFalse(kafka.topics().contains(retryTopic(pipeline)), "retry topic created in the blocking mode");
    }

    @Test
    void invalidModeStopsStartUp() throws Exception {
        RunningPipeline pipeline = track(new RunningPipeline().with("redelivery.mode", "sometimes"));

        Exception error = assertThrows(Exception.class, pipeline::start);

        StringBuilder messages = new StringBuilder();
        for (Throwable current = error; current != null; current = current.getCause()) {
            messages.append(current.getMessage()).append('\n');
        }
        assertTrue(messages.toString().contains("Invalid value 'sometimes' for redelivery.mode"), messages.toString());
    }

    private RunningPipeline nonBlocking(RunningPipeline pipeline, long delayMs) {
        return track(pipeline.with("redelivery.mode", "non-blocking")
                .with("redelivery.delay-ms", String.valueOf(delayMs)));
    }

    /** Returns the only endpoint that publishes to {@code topic}. */
    private static KafkaEndpoint producerOf(RunningPipeline pipeline, String topic) {
        List<KafkaEndpoint> producers = pipeline.producerEndpoints(topic);
        assertEquals(1, producers.size(), "producer endpoints of " + topic + ": " + producers);
        return producers.get(0);
    }

    private RunningPipeline track(RunningPipeline pipeline) {
        pipelines.add(pipeline);
        return pipeline;
    }

    private static long redeliveries(PipelineMetrics metrics) {
        return (long) metrics.registry().get("dlq.redeliveries").counter().count();
    }

    private static String retryTopic(RunningPipeline pipeline) {
        return pipeline.sourceTopic + "-retry";
    }

    private static String retryGroup(RunningPipeline pipeline) {
        return pipeline.sourceGroup + "-retry";
    }

    private static String text(ConsumerRecord<byte[], byte[]> record, String header) {
        Header found = record.headers().lastHeader(header);
        assertNotNull(found, "header " + header + " missing");
        return new String(found.value(), StandardCharsets.UTF_8);
    }

    /** Fails the first call and records the headers and body of every call. */
    private static final class FailingOnceProcessor implements Processor {

        static final String BODY = "body";

        final List<Map<String, Object>> seen = new CopyOnWriteArrayList<>();

        @Override
        public void process(Exchange exchange) {
            Map<String, Object> call = new TreeMap<>(exchange.getMessage().getHeaders());
            call.put(BODY, exchange.getMessage().getBody(byte[].class));
            seen.add(call);
            if (seen.size() == 1) {
                throw new TaskFailedException("first attempt fails");
            }
        }
    }
}
