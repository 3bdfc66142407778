package io.cameldlq.it;

import static io.cameldlq.support.KafkaTestClient.utf8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cameldlq.deadletter.log.DeadLetterLogLine;
import io.cameldlq.kafka.EmbeddedKafkaBroker;
import io.cameldlq.support.KafkaTestClient;
import io.cameldlq.support.RunningPipeline;

/** The broker goes away for 30 s while records are in flight and comes back; the application recovers. */
class BrokerOutageIT {

    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path dataDirectory;

    private EmbeddedKafkaBroker broker;
    private RunningPipeline pipeline;

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void outageLosesNothing() throws Exception {
        broker = EmbeddedKafkaBroker.start(0, dataDirectory, Map.of());
        int port = broker.port();
        pipeline = new RunningPipeline()
                .with("camel.component.kafka.brokers", broker.bootstrapServers())
                .with("redelivery.delay-ms", "500")
                .start();
        List<String> healthy = new ArrayList<>();
        Set<String> failingKeys = new HashSet<>();
        try (KafkaTestClient kafka = new KafkaTestClient(broker.bootstrapServers())) {
            for (int i = 0; i < 30; i++) {
                String key = "before-" + i;
                send(kafka, key, i % 10 == 0, healthy, failingKeys, pipeline.sourceTopic);
            }
        }

        broker.close();
        broker = null;
        await().during(OUTAGE).atMost(OUTAGE.plusSeconds(5)).until(() -> pipeline.context().isStarted());
        broker = EmbeddedKafkaBroker.start(port, dataDirectory, Map.of());

        try (KafkaTestClient kafka = new KafkaTestClient(broker.bootstrapServers())) {
            for (int i = 0; i < 30; i++) {
                String key = "after-" + i;
                send(kafka, key, i % 10 == 0, healthy, failingKeys, pipeline.sourceTopic);
            }
            await().atMost(TIMEOUT).until(() -> kafka.groupCaughtUp(pipeline.sourceGroup, pipeline.sourceTopic));
            await().atMost(TIMEOUT).until(() -> pipeline.logLines().size() >= failingKeys.size());
            await().atMost(TIMEOUT).until(() -> kafka.groupCaughtUp(pipeline.logGroup, pipeline.deadLetterTopic));

            for (String value : healthy) {
                assertTrue(!pipeline.processor.attemptsOf(utf8(value)).isEmpty(), "never processed: " + value);
            }
            Set<String> loggedKeys = new HashSet<>();
            for (String line : pipeline.logLines()) {
                loggedKeys.add(new String(DeadLetterLogLine.parse(line).key(), java.nio.charset.StandardCharsets.UTF_8));
            }
            assertEquals(failingKeys, loggedKeys);
            assertEquals(failingKeys.size(), pipeline.logLines().size(), "duplicate log lines");
        }
    }

    private static void send(KafkaTestClient kafka, String key, boolean failing, List<String> healthy,
            Set<String> failingKeys, String topic) throws Exception {
        String value = failing ? "fail" : "value-" + key;
        kafka.send(topic, null, utf8(key), utf8(value), List.of());
        if (failing) {
            failingKeys.add(key);
        } else {
            healthy.add(value);
        }
    }
}
