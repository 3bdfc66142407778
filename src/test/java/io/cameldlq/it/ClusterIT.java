package io.cameldlq.it;

import static io.cameldlq.support.KafkaTestClient.utf8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.cameldlq.deadletter.log.DeadLetterLogLine;
import io.cameldlq.support.KafkaTestClient;
import io.cameldlq.support.RunningPipeline;
import kafka.testkit.KafkaClusterTestKit;
import kafka.testkit.TestKitNodes;

/** A 3-broker cluster with replication factor 3 and min.insync.replicas=2 loses a broker mid-stream. */
class ClusterIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @Test
    @SuppressWarnings("try") // KafkaClusterTestKit.close() declares InterruptedException.
    void brokerLossLosesNothing() throws Exception {
        try (KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setNumBrokerNodes(3).setNumControllerNodes(1).build())
                .setConfigProp("min.insync.replicas", "2")
                .setConfigProp("offsets.topic.replication.factor", "3")
                .setConfigProp("auto.create.topics.enable", "false")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build()) {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();

            Set<String> healthy = new HashSet<>();
            Set<String> failingKeys = new HashSet<>();
            try (RunningPipeline pipeline = new RunningPipeline()
                    .with("camel.component.kafka.brokers", cluster.bootstrapServers())
                    .with("topics.replication-factor", "3")
                    .with("redelivery.delay-ms", "200")
                    .start();
                    KafkaTestClient kafka = new KafkaTestClient(cluster.bootstrapServers())) {
                sendBatch(kafka, pipeline.sourceTopic, "before", healthy, failingKeys);
                await().atMost(TIMEOUT).until(() -> !kafka.committedOffsets(pipeline.sourceGroup).isEmpty());

                int victim = cluster.brokers().keySet().iterator().next();
                cluster.brokers().get(victim).shutdown();
                sendBatch(kafka, pipeline.sourceTopic, "after", healthy, failingKeys);

                await().atMost(TIMEOUT).until(() -> kafka.groupCaughtUp(pipeline.sourceGroup, pipeline.sourceTopic));
                await().atMost(TIMEOUT).until(() -> kafka.groupCaughtUp(pipeline.logGroup, pipeline.deadLetterTopic));

                for (String value : healthy) {
                    assertTrue(!pipeline.processor.attemptsOf(utf8(value)).isEmpty(), "never processed: " + value);
                }
                Set<String> logged = new HashSet<>();
                for (String line : pipeline.logLines()) {
                    logged.add(new String(DeadLetterLogLine.parse(line).key(), StandardCharsets.UTF_8));
                }
                assertEquals(failingKeys, logged);
                assertEquals(failingKeys.size(), pipeline.logLines().size(), "duplicate log lines");
                assertEquals(3, kafka.partitionCount(pipeline.sourceTopic));
            }
        }
    }

    /** Sends 60 records with distinct keys; every tenth fails. */
    private static void sendBatch(KafkaTestClient kafka, String topic, String batch, Set<String> healthy,
            Set<String> failingKeys) throws Exception {
        for (int i = 0; i < 60; i++) {
            String key = batch + "-" + i;
            boolean failing = i % 10 == 0;
            String value = failing ? "fail" : "value " + key;
            kafka.send(topic, null, utf8(key), utf8(value), List.of());
            if (failing) {
                failingKeys.add(key);
            } else {
                healthy.add(value);
            }
        }
    }
}
