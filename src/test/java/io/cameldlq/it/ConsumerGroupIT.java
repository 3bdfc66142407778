package io.cameldlq.it;

import static io.cameldlq.support.KafkaTestClient.utf8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cameldlq.support.KafkaTestClient;
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
}
