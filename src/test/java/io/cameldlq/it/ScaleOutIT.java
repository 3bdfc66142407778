package io.cameldlq.it;

import static io.cameldlq.support.KafkaTestClient.utf8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cameldlq.deadletter.log.DeadLetterLogLine;
import io.cameldlq.support.AppDirectory;
import io.cameldlq.support.JarProcess;
import io.cameldlq.support.KafkaTestClient;
import io.cameldlq.support.TestBroker;

/** Several application processes in one consumer group: Kafka moves partitions, nothing is lost. */
class ScaleOutIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path root;

    @Test
    void killedInstanceLosesNothing() throws Exception {
        AppDirectory template = new AppDirectory(root.resolve("instance-1"));
        List<AppDirectory> directories = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            AppDirectory directory = new AppDirectory(root.resolve("instance-" + i));
            directory.with("task-processing.topic", template.sourceTopic)
                    .with("task-processing.group-id", template.sourceGroup)
                    .with("dead-letter.topic", template.deadLetterTopic)
                    .with("dead-letter-log.group-id", template.logGroup)
                    .with("topics.partitions", "6")
                    .with("redelivery.delay-ms", "200")
                    .write(TestBroker.bootstrapServers());
            directories.add(directory);
        }
        Set<String> failingKeys = new HashSet<>();
        List<JarProcess> instances = new ArrayList<>();
        try (KafkaTestClient kafka = new KafkaTestClient(TestBroker.bootstrapServers())) {
            for (int i = 0; i < 3; i++) {
                instances.add(JarProcess.start(directories.get(i).path, Map.of(), List.of()));
            }
            await().atMost(TIMEOUT).until(() -> kafka.topics().contains(template.sourceTopic));
            sendBatch(kafka, template.sourceTopic, "first", failingKeys);
            await().atMost(TIMEOUT).until(() -> !kafka.committedOffsets(template.sourceGroup).isEmpty());

            instances.get(1).kill();
            instances.add(JarProcess.start(directories.get(3).path, Map.of(), List.of()));
            sendBatch(kafka, template.sourceTopic, "second", failingKeys);

            await().atMost(TIMEOUT).until(() -> kafka.groupCaughtUp(template.sourceGroup, template.sourceTopic));
            await().atMost(TIMEOUT).until(() -> kafka.groupCaughtUp(template.logGroup, template.deadLetterTopic));

            Set<String> deadLettered = new HashSet<>();
            for (ConsumerRecord<byte[], byte[]> record : kafka.readAll(template.deadLetterTopic)) {
                deadLettered.add(new String(record.key(), StandardCharsets.UTF_8));
            }
            assertEquals(failingKeys, deadLettered);
            Set<String> logged = new HashSet<>();
            for (AppDirectory directory : directories) {
                for (String line : directory.logLines()) {
                    logged.add(new String(DeadLetterLogLine.parse(line).key(), StandardCharsets.UTF_8));
                }
            }
            assertEquals(failingKeys, logged);
            assertTrue(instances.get(0).isAlive());
            assertTrue(instances.get(3).isAlive());
        } finally {
            instances.forEach(JarProcess::close);
        }
    }

    /** Sends 150 records with distinct keys; every fifteenth fails. */
    private static void sendBatch(KafkaTestClient kafka, String topic, String batch, Set<String> failingKeys)
            throws Exception {
        for (int i = 0; i < 150; i++) {
            String key = batch + "-" + i;
            boolean failing = i % 15 == 0;
            kafka.send(topic, null, utf8(key), utf8(failing ? "fail" : "value " + key), List.of());
            if (failing) {
                failingKeys.add(key);
            }
        }
    }
}
