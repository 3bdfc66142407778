package io.cameldlq.it;

import static io.cameldlq.support.KafkaTestClient.utf8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cameldlq.deadletter.DeadLetterHeaders;
import io.cameldlq.support.JarProcess;
import io.cameldlq.support.KafkaTestClient;
import io.cameldlq.support.RunningPipeline;
import io.cameldlq.support.TestBroker;

/** The {@code redrive} command of the packaged jar: dry run, idempotence, resume, parking lot, bad input. */
class RedriveCommandIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path workingDirectory;

    @Test
    void redriveIsResumableAndIdempotent() throws Exception {
        try (RunningPipeline pipeline = new RunningPipeline().with("redelivery.delay-ms", "20").start();
                KafkaTestClient kafka = new KafkaTestClient(TestBroker.bootstrapServers())) {
            for (int i = 0; i < 3; i++) {
                kafka.send(pipeline.sourceTopic, 0, utf8("k" + i), utf8("fail"),
                        List.of(new RecordHeader("trace-id", utf8("t" + i))));
            }
            await().atMost(TIMEOUT).until(() -> pipeline.logLines().size() == 3);
            String target = KafkaTestClient.uniqueName("fixed");
            kafka.createTopic(target, 1);

            String dryRun = run(pipeline, "redrive", "--target", target, "--dry-run");
            assertTrue(dryRun.contains("would send"), dryRun);
            assertTrue(dryRun.contains("-> " + target + " (redrive 1)"), dryRun);
            assertTrue(kafka.readAll(target).isEmpty(), "the dry run sent records");

            String partial = run(pipeline, "redrive", "--target", target, "--limit", "1");
            assertTrue(partial.contains("Done: 1 sent"), partial);
            String rest = run(pipeline, "redrive", "--target", target, "--rate", "100");
            assertTrue(rest.contains("Done: 2 sent"), rest);
            String again = run(pipeline, "redrive", "--target", target);
            assertTrue(again.contains("Done: 0 sent"), again);

            List<ConsumerRecord<byte[], byte[]>> redriven = kafka.readAll(target);
            assertEquals(3, redriven.size());
            List<String> keys = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> record : redriven) {
                keys.add(new String(record.key(), StandardCharsets.UTF_8));
                assertArrayEquals(utf8("fail"), record.value());
                assertEquals("1", text(record, DeadLetterHeaders.REDRIVE_COUNT));
                assertTrue(record.headers().lastHeader("trace-id") != null, "user header lost");
            }
            assertEquals(List.of("k0", "k1", "k2"), keys.stream().sorted().toList());
        }
    }

    @Test
    void redriveToOriginalParksAfterLimit() throws Exception {
        try (RunningPipeline pipeline = new RunningPipeline().with("redelivery.delay-ms", "20").start();
                KafkaTestClient kafka = new KafkaTestClient(TestBroker.bootstrapServers())) {
            kafka.send(pipeline.sourceTopic, 0, utf8("stubborn"), utf8("fail"), List.of());
            await().atMost(TIMEOUT).until(() -> pipeline.logLines().size() == 1);

            // Back to the original topic: it fails again and is dead-lettered again, count kept.
            String first = run(pipeline, "redrive", "--max-redrives", "1", "--key", "stubborn");
            assertTrue(first.contains("send "), first);
            assertTrue(first.contains("-> " + pipeline.sourceTopic), first);
            await().atMost(TIMEOUT).until(() -> kafka.readAll(pipeline.deadLetterTopic).size() == 2);
            ConsumerRecord<byte[], byte[]> again = kafka.readAll(pipeline.deadLetterTopic).stream()
                    .filter(r -> "1".equals(text(r, DeadLetterHeaders.REDRIVE_COUNT))).findFirst().orElseThrow();
            assertEquals("3", text(again, DeadLetterHeaders.ATTEMPTS));

            String second = run(pipeline, "redrive", "--max-redrives", "1", "--key", "stubborn");
            String parkingLot = pipeline.deadLetterTopic + "-parking-lot";
            assertTrue(second.contains("park "), second);
            assertTrue(second.contains("-> " + parkingLot + " (redrive 2)"), second);
            List<ConsumerRecord<byte[], byte[]>> parked = kafka.readAll(parkingLot);
            assertEquals(1, parked.size());
            assertArrayEquals(utf8("stubborn"), parked.get(0).key());
        }
    }

    @Test
    void badArgumentsFailClearly() throws Exception {
        try (JarProcess process = JarProcess.start(workingDirectory, Map.of(), List.of(), "redrive",
                "--brokers", TestBroker.bootstrapServers(), "--rate", "0")) {
            assertEquals(2, process.waitForExit(60), process.output());
            assertTrue(process.output().contains("Invalid --rate 0.0: must be more than 0"), process.output());
        }
        try (JarProcess process = JarProcess.start(workingDirectory, Map.of(), List.of(), "redrive",
                "--brokers", TestBroker.bootstrapServers(), "--topic", "missing-dead-letters", "--timeout-ms", "5000")) {
            assertEquals(1, process.waitForExit(60), process.output());
            assertTrue(process.output().contains("Topic missing-dead-letters not found"), process.output());
        }
    }

    private String run(RunningPipeline pipeline, String... args) throws Exception {
        return JarProcess.runCommand(workingDirectory, pipeline.deadLetterTopic, args);
    }

    private static String text(ConsumerRecord<byte[], byte[]> record, String header) {
        var found = record.headers().lastHeader(header);
        return found == null ? null : new String(found.value(), StandardCharsets.UTF_8);
    }
}
