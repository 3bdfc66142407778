package io.cameldlq.it;

import static io.cameldlq.support.KafkaTestClient.utf8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cameldlq.support.KafkaTestClient;
import io.cameldlq.support.RecordingTaskProcessor.Attempt;
import io.cameldlq.support.RunningPipeline;
import io.cameldlq.support.TestBroker;

/** The consumers' membership in their groups while records are retried. */
class ConsumerGroupIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

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
    void failingRunStaysWithinPollInterval() throws Exception {
        // Ten failing records retried one after another take 10 s, more than three max.poll.interval.ms.
        kafka.createTopic(pipeline.sourceTopic, 1);
        for (int i = 0; i < 10; i++) {
            kafka.send(pipeline.sourceTopic, 0, utf8("failing-" + i), utf8("fail"), List.of());
        }
        kafka.send(pipeline.sourceTopic, 0, utf8("healthy"), utf8("healthy"), List.of());
        pipeline.with("camel.component.kafka.max-poll-interval-ms", "3000")
                .with("redelivery.delay-ms", "500")
                .start();

        await().atMost(TIMEOUT).until(() -> kafka.groupCaughtUp(pipeline.sourceGroup, pipeline.sourceTopic));
        await().atMost(TIMEOUT).until(() -> pipeline.logLines().size() == 10);
        await().atMost(TIMEOUT).until(() -> kafka.groupCaughtUp(pipeline.logGroup, pipeline.deadLetterTopic));

        assertEquals(30, pipeline.processor.attemptsOf(utf8("fail")).size(), "a record was processed twice");
        assertEquals(1, pipeline.processor.attemptsOf(utf8("healthy")).size());
        assertEquals(10, kafka.readAll(pipeline.deadLetterTopic).size());
        assertEquals(10, pipeline.logLines().size());
    }

    @Test
    void consumerPerPartitionIsolatesRetries() throws Exception {
        kafka.createTopic(pipeline.sourceTopic, 3);
        pipeline.with("task-processing.consumers", "3").start();
        await().atMost(TIMEOUT)
                .until(() -> kafka.membersWithPartitions(pipeline.sourceGroup, pipeline.sourceTopic) == 3);

        kafka.send(pipeline.sourceTopic, 0, utf8("failing"), utf8("fail"), List.of());
        await().atMost(TIMEOUT).until(() -> !pipeline.processor.attemptsOf(utf8("fail")).isEmpty());
        // Sent while the consumer of partition 0 waits to retry. With one consumer they would wait too.
        for (int i = 0; i < 10; i++) {
            kafka.send(pipeline.sourceTopic, 1 + i % 2, utf8("healthy-" + i), utf8("healthy-" + i), List.of());
        }
        kafka.send(pipeline.sourceTopic, 0, utf8("behind-failing"), utf8("behind-failing"), List.of());

        await().atMost(TIMEOUT).until(() -> pipeline.logLines().size() == 1);
        await().atMost(TIMEOUT).until(() -> kafka.groupCaughtUp(pipeline.sourceGroup, pipeline.sourceTopic));

        List<Attempt> failing = pipeline.processor.attemptsOf(utf8("fail"));
        assertEquals(3, failing.size(), "attempts of the failing record");
        long lastFailingAttempt = failing.get(2).nanoTime();
        for (int i = 0; i < 10; i++) {
            List<Attempt> attempts = pipeline.processor.attemptsOf(utf8("healthy-" + i));
            assertEquals(1, attempts.size(), "attempts of healthy-" + i);
            assertTrue(attempts.get(0).nanoTime() < lastFailingAttempt,
                    "healthy-" + i + " of another partition waited for the retries of partition 0");
        }
        // The failing record's partition keeps its order.
        List<Attempt> behind = pipeline.processor.attemptsOf(utf8("behind-failing"));
        assertEquals(1, behind.size());
        assertTrue(behind.get(0).nanoTime() > lastFailingAttempt,
                "a record overtook the failing record of its partition");
    }
}
