package io.cameldlq.it;

import static io.cameldlq.support.KafkaTestClient.utf8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Processor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cameldlq.kafka.EmbeddedKafkaBroker;
import io.cameldlq.support.AppDirectory;
import io.cameldlq.support.Http;
import io.cameldlq.support.JarProcess;
import io.cameldlq.support.KafkaTestClient;
import io.cameldlq.support.RunningPipeline;
import io.cameldlq.support.TestBroker;

/** Health, metrics, the summary line and the retention check, read as an operator reads them. */
class ObservabilityIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path directory;

    private KafkaTestClient kafka;
    private RunningPipeline pipeline;
    private EmbeddedKafkaBroker broker;
    private int port;

    @BeforeEach
    void start() throws Exception {
        kafka = new KafkaTestClient(TestBroker.bootstrapServers());
        port = Http.freePort();
        pipeline = new RunningPipeline()
                .with("camel.management.port", String.valueOf(port))
                .with("monitoring.lag-interval-seconds", "1");
    }

    @AfterEach
    void stop() {
        pipeline.close();
        kafka.close();
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void metricsCountTheReferenceScenario() throws Exception {
        pipeline.with("redelivery.delay-ms", "100").start();
        runReferenceScenario();

        String source = pipeline.sourceTopic;
        String deadLetters = pipeline.deadLetterTopic;
        String metrics = scrape();
        assertEquals(2.0, Http.metric(metrics, "dlq_records_processed_total", Map.of("topic", source)));
        assertEquals(4.0, Http.metric(metrics, "dlq_failed_attempts_total", Map.of("topic", source)));
        assertEquals(2.0, Http.metric(metrics, "dlq_redeliveries_total", Map.of("topic", source)));
        assertEquals(1.0, Http.metric(metrics, "dlq_dead_lettered_total", Map.of("topic", deadLetters,
                "reason", "retries-exhausted", "exception", "io.cameldlq.task.TaskFailedException")));
        assertEquals(1.0, Http.metric(metrics, "dlq_dead_lettered_total", Map.of("topic", deadLetters,
                "reason", "not-retryable", "exception", "io.cameldlq.task.InvalidTaskException")));
        assertEquals(0.0, Http.metric(metrics, "dlq_dead_letter_publish_failures_total", Map.of()));
        assertEquals(2.0, Http.metric(metrics, "dlq_log_lines_written_total", Map.of("topic", deadLetters)));
        assertEquals(0.0, Http.metric(metrics, "dlq_log_write_failures_total", Map.of()));
        assertEquals(4.0, Http.metric(metrics, "camel_exchanges_total", Map.of("routeId", "task-processing")));
        assertEquals(2.0, Http.metric(metrics, "camel_exchanges_total", Map.of("routeId", "dead-letter-log")));
        assertCamelRouteMetrics(metrics);
        // Camel's route event notifier, which camel-dlq keeps away from exchange events, still counts routes.
        assertEquals(2.0, Http.metric(metrics, "camel_routes_running_routes", Map.of()));
        assertTrue(Http.metric(metrics, "jvm_memory_used_bytes", Map.of()) > 0, "no JVM metrics");

        // Lag is measured every second; once everything is committed it reads 0 on each of the 3 partitions.
        await().atMost(TIMEOUT).until(() -> {
            String text = scrape();
            return Double.valueOf(0).equals(Http.metric(text, "dlq_consumer_lag", Map.of("group", pipeline.sourceGroup)))
                    && Double.valueOf(0).equals(Http.metric(text, "dlq_consumer_lag", Map.of("group", pipeline.logGroup)))
                    && text.contains("dlq_consumer_lag{group=\"" + pipeline.sourceGroup + "\",partition=\"2\"");
        });
        HttpResponse<String> ready = Http.get(port, "/observe/health/ready");
        assertEquals(200, ready.statusCode(), ready.body());
    }

    @Test
    void camelRoutePolicyCountsOnce() throws Exception {
        pipeline.with("redelivery.delay-ms", "100").with("camel.metrics.enable-route-policy", "true").start();
        runReferenceScenario();

        assertCamelRouteMetrics(scrape());
    }

    /**
     * Sends 2 records that are processed, 1 that fails every attempt and 1 that is not valid UTF-8, and waits
     * until both failing ones are logged and the task consumer committed everything.
     */
    private void runReferenceScenario() throws Exception {
        kafka.send(pipeline.sourceTopic, 0, utf8("k1"), utf8("hello"), List.of());
        kafka.send(pipeline.sourceTopic, 0, utf8("k2"), utf8("fail"), List.of());
        kafka.send(pipeline.sourceTopic, 1, utf8("k3"), utf8("world"), List.of());
        // Not valid UTF-8: the reference processor rejects it as not retryable.
        kafka.send(pipeline.sourceTopic, 2, utf8("k4"), new byte[] {(byte) 0xff, (byte) 0xfe}, List.of());
        await().atMost(TIMEOUT).until(() -> pipeline.logLines().size() == 2);
        await().atMost(TIMEOUT).until(() -> kafka.groupCaughtUp(pipeline.sourceGroup, pipeline.sourceTopic));
    }

    /**
     * Checks Camel's route metrics of the task-processing route after 2 processed and 2 dead-lettered records:
     * 4 exchanges, each counted once, all succeeded because the dead-letter channel handled the failures.
     */
    private static void assertCamelRouteMetrics(String metrics) {
        Map<String, String> route = Map.of("routeId", "task-processing");
        assertEquals(4.0, Http.metric(metrics, "camel_exchanges_total", route));
        assertEquals(4.0, Http.metric(metrics, "camel_exchanges_succeeded_total", route));
        assertEquals(0.0, Http.metric(metrics, "camel_exchanges_failed_total", route));
        assertEquals(2.0, Http.metric(metrics, "camel_exchanges_failures_handled_total", route));
        assertEquals(4.0, Http.metric(metrics, "camel_route_policy_seconds_count", route));
    }

    @Test
    void consumerLagShowsUncommittedRecords() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        pipeline.with("task-processing.processor", "heldProcessor")
                .bind("heldProcessor", (Processor) exchange -> release.await(60, TimeUnit.SECONDS))
                .start();
        for (int i = 0; i < 5; i++) {
            kafka.send(pipeline.sourceTopic, 1, utf8("k" + i), utf8("v" + i), List.of());
        }
        await().atMost(TIMEOUT).until(() -> Double.valueOf(5).equals(Http.metric(scrape(), "dlq_consumer_lag",
                Map.of("group", pipeline.sourceGroup, "partition", "1"))));

        release.countDown();
        await().atMost(TIMEOUT).until(() -> Double.valueOf(0).equals(Http.metric(scrape(), "dlq_consumer_lag",
                Map.of("group", pipeline.sourceGroup))));
    }

    @Test
    void failedPublishesAreCounted() throws Exception {
        // Every dead letter carries a stack trace of a few kilobytes, more than the producer may send.
        pipeline.with("camel.component.kafka.max-request-size", "1024")
                .with("redelivery.maximum-redeliveries", "0")
                .start();
        kafka.send(pipeline.sourceTopic, 0, utf8("k"), utf8("fail"), List.of());
        await().atMost(TIMEOUT).until(() -> Http.metric(scrape(), "dlq_dead_letter_publish_failures_total",
                Map.of()) >= 2);
        assertEquals(null, Http.metric(scrape(), "dlq_dead_lettered_total", Map.of()));
    }

    @Test
    void failedLogWritesAreCounted() throws Exception {
        // A regular file where the log directory should be makes every append fail, also for root.
        Path blocked = pipeline.logDirectory.resolve("blocked");
        Files.writeString(blocked, "not a directory");
        pipeline.with("dead-letter-log.directory", blocked.toString())
                .with("dead-letter-log.redelivery-delay-ms", "100")
                .with("redelivery.maximum-redeliveries", "0")
                .start();
        kafka.send(pipeline.sourceTopic, 0, utf8("k"), utf8("fail"), List.of());
        await().atMost(TIMEOUT).until(() -> Http.metric(scrape(), "dlq_log_write_failures_total", Map.of()) >= 2);
        assertEquals(0.0, Http.metric(scrape(), "dlq_log_lines_written_total", Map.of()));

        Files.delete(blocked);
        await().atMost(TIMEOUT).until(() -> Double.valueOf(1).equals(
                Http.metric(scrape(), "dlq_log_lines_written_total", Map.of())));
    }

    @Test
    void readinessFollowsTheBroker() throws Exception {
        broker = EmbeddedKafkaBroker.start(0, directory.resolve("kafka"), Map.of());
        int brokerPort = broker.port();
        pipeline.with("camel.component.kafka.brokers", broker.bootstrapServers()).start();
        await().atMost(TIMEOUT).until(() -> Http.get(port, "/observe/health/ready").statusCode() == 200);

        broker.close();
        broker = null;
        await().atMost(TIMEOUT).until(() -> Http.get(port, "/observe/health/ready").statusCode() == 503);
        HttpResponse<String> notReady = Http.get(port, "/observe/health/ready");
        assertTrue(notReady.body().contains("DOWN"), notReady.body());
        assertEquals(200, Http.get(port, "/observe/health/live").statusCode(), "liveness must not follow the broker");

        broker = EmbeddedKafkaBroker.start(brokerPort, directory.resolve("kafka"), Map.of());
        await().atMost(TIMEOUT).until(() -> Http.get(port, "/observe/health/ready").statusCode() == 200);
    }

    @Test
    void managementServerCanBeTurnedOff() throws Exception {
        pipeline.with("camel.management.enabled", "false").start();
        await().atMost(TIMEOUT).until(() -> pipeline.context().isStarted());
        assertThrows(ConnectException.class, () -> Http.get(port, "/observe/health"));
    }

    @Test
    void jarLogsSummaryAndRetentionWarning() throws Exception {
        AppDirectory app = new AppDirectory(directory.resolve("app"))
                .with("monitoring.summary-interval-seconds", "1")
                .with("monitoring.lag-interval-seconds", "1");
        Files.createDirectories(app.path);
        app.write(TestBroker.bootstrapServers());
        kafka.createTopic(app.sourceTopic, 3, Map.of("retention.ms", String.valueOf(Duration.ofDays(7).toMillis())));
        kafka.createTopic(app.deadLetterTopic, 3, Map.of("retention.ms", String.valueOf(Duration.ofDays(1).toMillis())));
        try (JarProcess process = JarProcess.start(app.path, Map.of(), List.of())) {
            kafka.send(app.sourceTopic, 0, utf8("k"), utf8("hello"), List.of());
            await().atMost(TIMEOUT).until(() -> process.output().contains("1 processed"));
            await().atMost(TIMEOUT).until(() -> process.output().contains("consumer lag: " + app.sourceGroup + " 0, "
                    + app.logGroup + " 0; since start: 1 processed, 0 dead-lettered"));
            String output = process.output();
            assertTrue(output.contains("[WARN] TopicProvisioner - Dead-letter topic " + app.deadLetterTopic
                    + " keeps records for 1 day (retention.ms=86400000), less than topic " + app.sourceTopic
                    + " (7 days)"), output);
        }
    }

    private String scrape() throws Exception {
        HttpResponse<String> response = Http.get(port, "/observe/metrics");
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }
}
