package io.cameldlq.it;

import static io.cameldlq.support.KafkaTestClient.utf8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.component.kafka.PollOnError;
import org.apache.camel.model.ModelCamelContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.cameldlq.deadletter.DeadLetterHeaders;
import io.cameldlq.deadletter.log.DeadLetterLogLine;
import io.cameldlq.route.NonBlockingRetryErrorPolicy;
import io.cameldlq.route.TaskProcessingErrorPolicy;
import io.cameldlq.support.KafkaTestClient;
import io.cameldlq.support.RecordingTaskProcessor.Attempt;
import io.cameldlq.support.RunningPipeline;
import io.cameldlq.support.TemporaryDirectories;
import io.cameldlq.support.TestBroker;

/** The pipeline end to end on a real broker: processing, retries, dead-lettering and the log file. */
class PipelineIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private KafkaTestClient kafka;
    private RunningPipeline pipeline;

    @BeforeEach
    void connect() throws Exception {
        kafka = new KafkaTestClient(TestBroker.bootstrapServers());
        pipeline = new RunningPipeline();
    }

    @AfterEach
    void stop() {
        pipeline.close();
        kafka.close();
    }

    @Test
    void referenceScenarioDeadLettersOnlyFail() throws Exception {
        pipeline.start();
        List<Header> headers = List.of(new RecordHeader("trace-id", utf8("abc-123")));
        kafka.send(pipeline.sourceTopic, 0, utf8("k-hello"), utf8("hello"), List.of());
        RecordMetadata failed = kafka.send(pipeline.sourceTopic, 0, utf8("order-7"), utf8("fail"), headers);
        kafka.send(pipeline.sourceTopic, 0, utf8("k-world"), utf8("world"), List.of());

        awaitAllCommitted(pipeline.sourceTopic, pipeline.sourceGroup);
        await().atMost(TIMEOUT).until(() -> pipeline.logLines().size() == 1);
        awaitAllCommitted(pipeline.deadLetterTopic, pipeline.logGroup);

        assertEquals(1, pipeline.processor.attemptsOf(utf8("hello")).size());
        assertEquals(1, pipeline.processor.attemptsOf(utf8("world")).size());
        List<Attempt> failAttempts = pipeline.processor.attemptsOf(utf8("fail"));
        assertEquals(3, failAttempts.size());
        for (int i = 1; i < failAttempts.size(); i++) {
            long gapMs = (failAttempts.get(i).nanoTime() - failAttempts.get(i - 1).nanoTime()) / 1_000_000;
            assertTrue(gapMs >= 990, "attempts " + i + " and " + (i + 1) + " only " + gapMs + " ms apart");
        }

        List<ConsumerRecord<byte[], byte[]>> deadLetters = kafka.readAll(pipeline.deadLetterTopic);
        assertEquals(1, deadLetters.size());
        ConsumerRecord<byte[], byte[]> deadLetter = deadLetters.get(0);
        assertArrayEquals(utf8("order-7"), deadLetter.key());
        assertArrayEquals(utf8("fail"), deadLetter.value());
        assertArrayEquals(utf8("abc-123"), deadLetter.headers().lastHeader("trace-id").value());
        assertEquals(pipeline.sourceTopic, text(deadLetter, DeadLetterHeaders.ORIGINAL_TOPIC));
        assertEquals("0", text(deadLetter, DeadLetterHeaders.ORIGINAL_PARTITION));
        assertEquals(String.valueOf(failed.offset()), text(deadLetter, DeadLetterHeaders.ORIGINAL_OFFSET));
        assertEquals("3", text(deadLetter, DeadLetterHeaders.ATTEMPTS));
        assertEquals("io.cameldlq.task.TaskFailedException", text(deadLetter, DeadLetterHeaders.EXCEPTION_CLASS));
        assertEquals("io.cameldlq.task.TaskFailedException",
                text(deadLetter, DeadLetterHeaders.EXCEPTION_ROOT_CAUSE_CLASS));
        assertEquals(DeadLetterHeaders.REASON_RETRIES_EXHAUSTED, text(deadLetter, DeadLetterHeaders.REASON));
        assertEquals(pipeline.sourceGroup, text(deadLetter, DeadLetterHeaders.CONSUMER_GROUP));
        assertTrue(text(deadLetter, DeadLetterHeaders.INSTANCE_ID).endsWith("-" + ProcessHandle.current().pid()));
        assertTrue(text(deadLetter, DeadLetterHeaders.EXCEPTION_STACK_TRACE)
                .startsWith("io.cameldlq.task.TaskFailedException: Task value 'fail'"));
        Instant first = Instant.parse(text(deadLetter, DeadLetterHeaders.FIRST_FAILURE_TIME));
        Instant last = Instant.parse(text(deadLetter, DeadLetterHeaders.LAST_FAILURE_TIME));
        assertTrue(Duration.between(first, last).toMillis() >= 1990, first + " to " + last);
        assertEquals(failed.timestamp(), deadLetter.timestamp());
        assertEquals("CreateTime", text(deadLetter, DeadLetterHeaders.ORIGINAL_TIMESTAMP_TYPE));
        assertEquals(0, deadLetter.partition());

        DeadLetterLogLine line = DeadLetterLogLine.parse(pipeline.logLines().get(0));
        assertEquals(pipeline.sourceTopic, line.topic());
        assertEquals(0, line.partition());
        assertEquals(failed.offset(), line.offset());
        assertArrayEquals(utf8("order-7"), line.key());
        assertArrayEquals(utf8("fail"), line.value());
        assertEquals(3, line.attempts());
    }

    @Test
    void logAppendTimeReachesDeadLetter() throws Exception {
        kafka.createTopic(pipeline.sourceTopic, 1, Map.of("message.timestamp.type", "LogAppendTime"));
        pipeline.with("redelivery.delay-ms", "100").start();
        kafka.send(pipeline.sourceTopic, 0, utf8("k"), utf8("fail"), List.of());

        await().atMost(TIMEOUT).until(() -> pipeline.logLines().size() == 1);
        ConsumerRecord<byte[], byte[]> consumed = kafka.readAll(pipeline.sourceTopic).get(0);
        ConsumerRecord<byte[], byte[]> deadLetter = kafka.readAll(pipeline.deadLetterTopic).get(0);
        assertEquals("LogAppendTime", text(deadLetter, DeadLetterHeaders.ORIGINAL_TIMESTAMP_TYPE));
        assertEquals(String.valueOf(consumed.timestamp()), text(deadLetter, DeadLetterHeaders.ORIGINAL_TIMESTAMP));
        assertNull(deadLetter.headers().lastHeader(DeadLetterHeaders.TIMESTAMP_TYPE_CARRIER));
    }

    @Test
    void invalidRecordIsNotRetried() throws Exception {
        pipeline.start();
        kafka.send(pipeline.sourceTopic, 0, utf8("empty"), new byte[0], List.of());

        await().atMost(TIMEOUT).until(() -> pipeline.logLines().size() == 1);
        awaitAllCommitted(pipeline.sourceTopic, pipeline.sourceGroup);
        assertEquals(1, pipeline.processor.attemptsOf(new byte[0]).size());
        ConsumerRecord<byte[], byte[]> deadLetter = kafka.readAll(pipeline.deadLetterTopic).get(0);
        assertEquals(DeadLetterHeaders.REASON_NOT_RETRYABLE, text(deadLetter, DeadLetterHeaders.REASON));
        assertEquals("1", text(deadLetter, DeadLetterHeaders.ATTEMPTS));
        assertEquals("io.cameldlq.task.InvalidTaskException", text(deadLetter, DeadLetterHeaders.EXCEPTION_CLASS));
    }

    @Test
    void backoffSpacesAttempts() throws Exception {
        pipeline.with("redelivery.maximum-redeliveries", "3")
                .with("redelivery.delay-ms", "300")
                .with("redelivery.backoff-multiplier", "2")
                .start();
        kafka.send(pipeline.sourceTopic, 0, utf8("backoff"), utf8("fail"), List.of());

        await().atMost(TIMEOUT).until(() -> pipeline.logLines().size() == 1);
        List<Attempt> attempts = pipeline.processor.attemptsOf(utf8("fail"));
        assertEquals(4, attempts.size());
        long[] expectedMs = {300, 600, 1200};
        for (int i = 1; i < attempts.size(); i++) {
            long gapMs = (attempts.get(i).nanoTime() - attempts.get(i - 1).nanoTime()) / 1_000_000;
            long expected = expectedMs[i - 1];
            assertTrue(gapMs >= expected - 10, "retry " + i + " after " + gapMs + " ms, expected about " + expected);
            assertTrue(gapMs <= expected + 400, "retry " + i + " after " + gapMs + " ms, expected about " + expected);
        }
        ConsumerRecord<byte[], byte[]> deadLetter = kafka.readAll(pipeline.deadLetterTopic).get(0);
        assertEquals(DeadLetterHeaders.REASON_RETRIES_EXHAUSTED, text(deadLetter, DeadLetterHeaders.REASON));
        assertEquals("4", text(deadLetter, DeadLetterHeaders.ATTEMPTS));
    }

    @Test
    void consumersReconnectOnPollErrors() throws Exception {
        pipeline.start();

        for (String routeId : List.of("task-processing", "dead-letter-log")) {
            KafkaEndpoint endpoint = (KafkaEndpoint) pipeline.context().getRoute(routeId).getEndpoint();
            assertEquals(PollOnError.RECONNECT, endpoint.getConfiguration().getPollOnError(), routeId);
            assertTrue(endpoint.getConfiguration().isBreakOnFirstError(), routeId);
            assertFalse(endpoint.getConfiguration().isAutoCommitEnable(), routeId);
        }
    }

    @Test
    void deadLetterLogFetchesInBatches() throws Exception {
        pipeline.start();

        KafkaEndpoint log = (KafkaEndpoint) pipeline.context().getRoute("dead-letter-log").getEndpoint();
        assertEquals(65_536, log.getConfiguration().getFetchMinBytes());
        assertEquals(500, log.getConfiguration().getFetchWaitMaxMs());
        KafkaEndpoint tasks = (KafkaEndpoint) pipeline.context().getRoute("task-processing").getEndpoint();
        assertEquals(1, tasks.getConfiguration().getFetchMinBytes());
    }

    @Test
    void blockingDeadLetterPublishSendsAtOnce() throws Exception {
        pipeline.start();

        // The consumer waits for this publish, so a linger would hold up the partition.
        List<KafkaEndpoint> publishers = pipeline.producerEndpoints(pipeline.deadLetterTopic);
        assertEquals(1, publishers.size(), publishers.toString());
        assertEquals(0, publishers.get(0).getConfiguration().getLingerMs());
    }

    @Test
    void deadLetterKeepsPartitionWhenItExists() throws Exception {
        kafka.createTopic(pipeline.sourceTopic, 3);
        kafka.createTopic(pipeline.deadLetterTopic, 2);
        pipeline.with("redelivery.delay-ms", "50").start();
        kafka.send(pipeline.sourceTopic, 1, utf8("same-partition"), utf8("fail"), List.of());
        kafka.send(pipeline.sourceTopic, 2, utf8("by-key"), utf8("fail"), List.of());

        await().atMost(TIMEOUT).until(() -> pipeline.logLines().size() == 2);
        List<ConsumerRecord<byte[], byte[]>> deadLetters = kafka.readAll(pipeline.deadLetterTopic);
        ConsumerRecord<byte[], byte[]> samePartition = deadLetters.stream()
                .filter(r -> Arrays.equals(utf8("same-partition"), r.key())).findFirst().orElseThrow();
        assertEquals(1, samePartition.partition());
        ConsumerRecord<byte[], byte[]> byKey = deadLetters.stream()
                .filter(r -> Arrays.equals(utf8("by-key"), r.key())).findFirst().orElseThrow();
        assertEquals(org.apache.kafka.common.utils.Utils.toPositive(
                org.apache.kafka.common.utils.Utils.murmur2(utf8("by-key"))) % 2, byKey.partition());
    }

    @Test
    void jsonLogTruncatesLongValues() throws Exception {
        Processor alwaysFail = exchange -> {
            throw new IllegalStateException("always fails");
        };
        pipeline.with("task-processing.processor", "alwaysFail").bind("alwaysFail", alwaysFail)
                .with("redelivery.delay-ms", "20")
                .with("dead-letter-log.format", "json")
                .with("dead-letter-log.max-value-bytes", "8")
                .start();
        byte[] binary = {(byte) 0xff, 0, '\n', (byte) 0xc3};
        kafka.send(pipeline.sourceTopic, 0, utf8("binary"), binary, List.of());
        kafka.send(pipeline.sourceTopic, 0, utf8("long"), utf8("0123456789abcdef"), List.of());

        await().atMost(TIMEOUT).until(() -> pipeline.logLines().size() == 2);
        List<String> lines = pipeline.logLines();
        for (String line : lines) {
            assertTrue(line.startsWith("{"), line);
            assertTrue(line.endsWith("}"), line);
        }
        List<DeadLetterLogLine> parsed = lines.stream().map(DeadLetterLogLine::parse).toList();
        DeadLetterLogLine binaryLine = parsed.stream().filter(l -> Arrays.equals(utf8("binary"), l.key()))
                .findFirst().orElseThrow();
        assertArrayEquals(binary, binaryLine.value());
        assertNull(binaryLine.valueLength());
        DeadLetterLogLine longLine = parsed.stream().filter(l -> Arrays.equals(utf8("long"), l.key()))
                .findFirst().orElseThrow();
        assertArrayEquals(utf8("01234567"), longLine.value());
        assertEquals(16, longLine.valueLength());
        assertEquals(16, kafka.readAll(pipeline.deadLetterTopic).stream()
                .filter(r -> Arrays.equals(utf8("long"), r.key())).findFirst().orElseThrow().value().length);
    }

    @Test
    void redactionLogsMetadataOnly() throws Exception {
        pipeline.with("dead-letter-log.redact-values", "true").with("redelivery.delay-ms", "20").start();
        kafka.send(pipeline.sourceTopic, 0, utf8("card-4111"), utf8("fail"), List.of());

        await().atMost(TIMEOUT).until(() -> pipeline.logLines().size() == 1);
        String content = Files.readString(pipeline.logFile());
        assertFalse(content.contains("card-4111"), content);
        assertFalse(content.contains("value=\"fail\""), content);
        DeadLetterLogLine line = DeadLetterLogLine.parse(pipeline.logLines().get(0));
        assertTrue(line.redacted());
        assertEquals(4, line.valueLength());
        assertEquals(pipeline.sourceTopic, line.topic());
    }

    @Test
    void logFileKeepsExistingContent() throws Exception {
        Files.writeString(pipeline.logFile(), "line written before the start\n");
        pipeline.start();

        kafka.send(pipeline.sourceTopic, 0, utf8("a"), utf8("fail"), List.of());
        kafka.send(pipeline.sourceTopic, 1, utf8("b"), utf8("fail"), List.of());

        await().atMost(TIMEOUT).until(() -> pipeline.logLines().size() == 3);
        awaitAllCommitted(pipeline.deadLetterTopic, pipeline.logGroup);
        List<String> lines = pipeline.logLines();
        assertEquals(3, lines.size());
        assertEquals("line written before the start", lines.get(0));
        List<String> keys = lines.subList(1, 3).stream()
                .map(l -> new String(DeadLetterLogLine.parse(l).key(), StandardCharsets.UTF_8)).sorted().toList();
        assertEquals(List.of("a", "b"), keys);
    }

    @Test
    void multilineAndBinaryValuesGiveOneLineEach() throws Exception {
        Processor alwaysFail = exchange -> {
            throw new IllegalStateException("always fails");
        };
        pipeline.with("task-processing.processor", "alwaysFail").bind("alwaysFail", alwaysFail).start();
        byte[] multiline = utf8("first line\nsecond line\r\nthird\u2028fourth");
        byte[] binary = {(byte) 0xff, (byte) 0xfe, 0x00, '\n', (byte) 0xc3, (byte) 0x28, 'x', (byte) 0x80};
        kafka.send(pipeline.sourceTopic, 0, utf8("multiline"), multiline, List.of());
        kafka.send(pipeline.sourceTopic, 0, binary, binary, List.of());

        await().atMost(TIMEOUT).until(() -> pipeline.logLines().size() == 2);
        awaitAllCommitted(pipeline.deadLetterTopic, pipeline.logGroup);
        List<DeadLetterLogLine> lines = pipeline.logLines().stream().map(DeadLetterLogLine::parse).toList();
        assertEquals(2, lines.size());
        DeadLetterLogLine text = lines.stream().filter(l -> Arrays.equals(utf8("multiline"), l.key()))
                .findFirst().orElseThrow();
        DeadLetterLogLine bytes = lines.stream().filter(l -> Arrays.equals(binary, l.key()))
                .findFirst().orElseThrow();
        assertArrayEquals(multiline, text.value());
        assertArrayEquals(binary, bytes.value());
    }

    @Test
    void missingDeadLetterTopicKeepsRecordUncommitted() throws Exception {
        kafka.createTopic(pipeline.sourceTopic, 1);
        pipeline.with("topics.provision", "false")
                .with("redelivery.delay-ms", "100")
                .with("dead-letter.publish-timeout-ms", "1000")
                .start();
        kafka.send(pipeline.sourceTopic, 0, utf8("before"), utf8("ok"), List.of());
        RecordMetadata failed = kafka.send(pipeline.sourceTopic, 0, utf8("stuck"), utf8("fail"), List.of());
        kafka.send(pipeline.sourceTopic, 0, utf8("after"), utf8("later"), List.of());

        // A second round of attempts shows the record was polled again after the failed publish.
        await().atMost(TIMEOUT).until(() -> pipeline.processor.attemptsOf(utf8("fail")).size() >= 6);
        OffsetAndMetadata committed = kafka.committedOffsets(pipeline.sourceGroup)
                .get(new TopicPartition(pipeline.sourceTopic, 0));
        assertTrue(committed == null || committed.offset() <= failed.offset(),
                "committed past the failed record: " + committed);
        assertTrue(pipeline.processor.attemptsOf(utf8("later")).isEmpty(), "record after the failure was processed");

        kafka.createTopic(pipeline.deadLetterTopic, 1);

        await().atMost(TIMEOUT).until(() -> pipeline.logLines().size() == 1);
        awaitAllCommitted(pipeline.sourceTopic, pipeline.sourceGroup);
        List<ConsumerRecord<byte[], byte[]>> deadLetters = kafka.readAll(pipeline.deadLetterTopic);
        assertEquals(1, deadLetters.size());
        assertArrayEquals(utf8("stuck"), deadLetters.get(0).key());
        assertFalse(pipeline.processor.attemptsOf(utf8("later")).isEmpty());
    }

    @Test
    void hostileHeadersChangeNothing() throws Exception {
        String decoyTopic = KafkaTestClient.uniqueName("decoy");
        kafka.createTopic(decoyTopic, 1);
        Path escapeDirectory = TemporaryDirectories.create("camel-dlq-escape");
        Path escapeFile = escapeDirectory.resolve("escaped.txt");
        pipeline.start();

        List<Header> hostile = Stream.of("CamelFileName", "camelfilename", "CAMELFILENAME", "CamelOverruleFileName",
                        "camelOverruleFileName", "CamelFileNameProduced")
                .map(name -> (Header) new RecordHeader(name, utf8(escapeFile.toString())))
                .collect(Collectors.toList());
        for (String name : List.of(KafkaConstants.OVERRIDE_TOPIC,
                KafkaConstants.OVERRIDE_TOPIC.toLowerCase(),
                KafkaConstants.OVERRIDE_TOPIC.toUpperCase(),
                KafkaConstants.TOPIC)) {
            hostile.add(new RecordHeader(name, utf8(decoyTopic)));
        }
        // The other names camel-kafka 4.18 reads or writes on a message.
        for (String name : List.of(KafkaConstants.KEY, KafkaConstants.PARTITION_KEY, KafkaConstants.PARTITION,
                KafkaConstants.OFFSET, KafkaConstants.HEADERS, KafkaConstants.TIMESTAMP,
                KafkaConstants.OVERRIDE_TIMESTAMP, KafkaConstants.LAST_RECORD_BEFORE_COMMIT,
                KafkaConstants.LAST_POLL_RECORD, KafkaConstants.KAFKA_RECORD_META, KafkaConstants.MANUAL_COMMIT)) {
            hostile.add(new RecordHeader(name, utf8("99")));
        }
        kafka.send(pipeline.sourceTopic, 0, utf8("hostile"), utf8("fail"), hostile);
        // A record produced straight to the dead-letter topic reaches only the log route.
        await().atMost(TIMEOUT).until(() -> kafka.topics().contains(pipeline.deadLetterTopic));
        kafka.send(pipeline.deadLetterTopic, 0, utf8("direct"), utf8("direct"), hostile);

        await().atMost(TIMEOUT).until(() -> pipeline.logLines().size() == 2);
        awaitAllCommitted(pipeline.deadLetterTopic, pipeline.logGroup);
        awaitAllCommitted(pipeline.sourceTopic, pipeline.sourceGroup);

        assertTrue(kafka.readAll(decoyTopic).isEmpty(), "a record reached the decoy topic");
        assertFalse(Files.exists(escapeFile), "a file was written outside the log directory");
        try (Stream<Path> files = Files.list(pipeline.logDirectory)) {
            assertEquals(List.of(pipeline.logFile()), files.toList());
        }
        List<ConsumerRecord<byte[], byte[]>> deadLetters = kafka.readAll(pipeline.deadLetterTopic);
        assertEquals(2, deadLetters.size());
        ConsumerRecord<byte[], byte[]> deadLetter = deadLetters.stream()
                .filter(r -> Arrays.equals(utf8("hostile"), r.key())).findFirst().orElseThrow();
        List<Header> originals = new ArrayList<>();
        deadLetter.headers().forEach(h -> {
            if (!DeadLetterHeaders.isReserved(h.key())) {
                originals.add(h);
            }
        });
        assertEquals(hostile, originals, "original headers not kept exactly");
        assertNull(deadLetter.headers().lastHeader("dlq-internal-original-headers"));
    }

    @Test
    void recordsBeforeFirstStartAreProcessed() throws Exception {
        kafka.createTopic(pipeline.sourceTopic, 3);
        kafka.send(pipeline.sourceTopic, 0, utf8("early"), utf8("produced before the start"), List.of());
        kafka.send(pipeline.sourceTopic, 1, utf8("early-fail"), utf8("fail"), List.of());

        pipeline.start();

        awaitAllCommitted(pipeline.sourceTopic, pipeline.sourceGroup);
        await().atMost(TIMEOUT).until(() -> pipeline.logLines().size() == 1);
        assertEquals(1, pipeline.processor.attemptsOf(utf8("produced before the start")).size());
        assertArrayEquals(utf8("early-fail"), DeadLetterLogLine.parse(pipeline.logLines().get(0)).key());
    }

    @Test
    void unwritableLogIsRetriedWithoutPublishing() throws Exception {
        // A regular file where the log directory should be makes every append fail, also for root.
        Path blocked = pipeline.logDirectory.resolve("blocked");
        Files.writeString(blocked, "not a directory");
        pipeline.with("dead-letter-log.directory", blocked.toString())
                .with("dead-letter-log.redelivery-delay-ms", "100")
                .start();
        // Each failed exchange is one poll of the record whose retries were all used up.
        NotifyBuilder twoFailedRounds = new NotifyBuilder(pipeline.context()).fromRoute("dead-letter-log")
                .whenFailed(2).create();
        kafka.send(pipeline.sourceTopic, 0, utf8("unlogged"), utf8("fail"), List.of());

        awaitAllCommitted(pipeline.sourceTopic, pipeline.sourceGroup);
        assertTrue(twoFailedRounds.matches(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "record not polled again");
        assertFalse(kafka.groupCaughtUp(pipeline.logGroup, pipeline.deadLetterTopic), "committed an unwritten line");
        assertEquals(1, kafka.readAll(pipeline.deadLetterTopic).size());
        assertEquals(1, kafka.readAll(pipeline.sourceTopic).size());

        Files.delete(blocked);

        awaitAllCommitted(pipeline.deadLetterTopic, pipeline.logGroup);
        List<String> lines = Files.readAllLines(blocked.resolve("dead_letter_log.txt"), StandardCharsets.UTF_8);
        assertEquals(1, lines.size());
        assertArrayEquals(utf8("unlogged"), DeadLetterLogLine.parse(lines.get(0)).key());
        assertEquals(1, kafka.readAll(pipeline.deadLetterTopic).size());
    }

    @Test
    void devProfileReloadsEditedRoute() throws Exception {
        Path routes = Files.createDirectories(pipeline.logDirectory.resolve("routes"));
        Path route = routes.resolve("dead-letter-log.camel.yaml");
        Files.copy(Path.of("routes/dead-letter-log.camel.yaml"), route);
        pipeline.profile("dev")
                .with("camel.main.routes-include-pattern", "file:" + routes + "/*.camel.yaml")
                .with("camel.main.routes-reload-directory", routes.toString())
                .start();

        String edited = Files.readString(route).replace("fileName: \"{{dead-letter-log.file-name}}\"",
                "fileName: reloaded.txt");
        assertTrue(edited.contains("fileName: reloaded.txt"), "route file no longer has the expected fileName line");
        Route before = pipeline.context().getRoute("dead-letter-log");
        Files.writeString(route, edited);
        await().atMost(TIMEOUT).until(() -> pipeline.context().getRoute("dead-letter-log") != before
                && pipeline.context().getRoute("dead-letter-log") != null);
        assertEquals(2, pipeline.context().getRoutes().size(), "reload removed a route");
        Path reloadedLog = pipeline.logDirectory.resolve("reloaded.txt");
        kafka.send(pipeline.sourceTopic, 0, utf8("after-edit"), utf8("fail"), List.of());

        await().atMost(TIMEOUT).until(() -> Files.exists(reloadedLog));
        List<String> lines = Files.readAllLines(reloadedLog, StandardCharsets.UTF_8);
        assertEquals(1, lines.size());
        assertArrayEquals(utf8("after-edit"), DeadLetterLogLine.parse(lines.get(0)).key());
        assertFalse(Files.exists(pipeline.logFile()), "line written with the route as it was before the edit");
    }

    @ParameterizedTest
    @ValueSource(strings = {"blocking", "non-blocking"})
    void addedRouteKeepsCamelErrorHandler(String mode) throws Exception {
        Path routes = Files.createDirectories(pipeline.logDirectory.resolve("routes"));
        Files.copy(Path.of("routes/dead-letter-log.camel.yaml"), routes.resolve("dead-letter-log.camel.yaml"));
        Files.writeString(routes.resolve("added.camel.yaml"), """
                - route:
                    id: added
                    from:
                      uri: direct:added
                      steps:
                        - throwException:
                            exceptionType: java.lang.IllegalStateException
                            message: added route failed
                """);
        pipeline.with("redelivery.mode", mode)
                .with("camel.main.routes-include-pattern", "file:" + routes + "/*.camel.yaml")
                .start();
        ModelCamelContext model = (ModelCamelContext) pipeline.context();
        String policy = mode.equals("blocking") ? TaskProcessingErrorPolicy.ID : NonBlockingRetryErrorPolicy.ID;

        Exchange result = pipeline.context().createProducerTemplate().request("direct:added",
                exchange -> exchange.getMessage().setBody("task"));

        assertNull(model.getRouteDefinition("added").getAppliedRouteConfigurationIds());
        assertEquals(Set.of(policy), model.getRouteDefinition("task-processing").getAppliedRouteConfigurationIds());
        assertInstanceOf(IllegalStateException.class, result.getException(), "the dead-letter channel handled it");
        assertEquals(List.of(), kafka.readAll(pipeline.deadLetterTopic));
    }

    private void awaitAllCommitted(String topic, String group) {
        await().atMost(TIMEOUT).until(() -> kafka.groupCaughtUp(group, topic));
    }

    private static String text(ConsumerRecord<byte[], byte[]> record, String header) {
        Header found = record.headers().lastHeader(header);
        return found == null ? null : new String(found.value(), StandardCharsets.UTF_8);
    }
}
