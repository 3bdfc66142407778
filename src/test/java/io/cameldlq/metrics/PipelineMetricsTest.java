package io.cameldlq.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import io.cameldlq.task.InvalidTaskException;
import io.cameldlq.task.TaskFailedException;

class PipelineMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final PipelineMetrics metrics = new PipelineMetrics(registry, "tasks", "dead-letters");

    @Test
    void deadLettersAreCountedByReasonAndException() {
        metrics.recordDeadLettered("retries-exhausted", new TaskFailedException("boom"));
        metrics.recordDeadLettered("retries-exhausted", new TaskFailedException("again"));
        metrics.recordDeadLettered("not-retryable", new InvalidTaskException("bad"));

        assertEquals(2.0, registry.get(PipelineMetrics.DEAD_LETTERED).tag("reason", "retries-exhausted")
                .tag("exception", TaskFailedException.class.getName()).tag("topic", "dead-letters").counter().count());
        assertEquals(1.0, registry.get(PipelineMetrics.DEAD_LETTERED).tag("reason", "not-retryable")
                .tag("exception", InvalidTaskException.class.getName()).counter().count());
        assertEquals(3, metrics.totals().deadLettered());
    }

    @Test
    void totalsSubtractToTheGrowthOfAnInterval() {
        metrics.recordProcessed();
        PipelineMetrics.Totals before = metrics.totals();
        metrics.recordProcessed();
        metrics.recordProcessed();
        metrics.recordFailedAttempt();
        metrics.recordPublishFailure();
        metrics.recordLogLineWritten();
        metrics.recordLogWriteFailure();

        assertEquals(new PipelineMetrics.Totals(2, 1, 0, 1, 1, 1), metrics.totals().minus(before));
        assertEquals(3, metrics.totals().processed());
    }

    @Test
    void summaryLineNamesEachGroupsLag() {
        Map<ConsumerLagMonitor.Watched, Long> lag = new LinkedHashMap<>();
        lag.put(new ConsumerLagMonitor.Watched("task-processing", "tasks"), 12L);
        lag.put(new ConsumerLagMonitor.Watched("dead-letter-log", "dead-letters"), 0L);
        PipelineMetrics.Totals interval = new PipelineMetrics.Totals(100, 3, 1, 0, 1, 0);
        PipelineMetrics.Totals total = new PipelineMetrics.Totals(1000, 30, 10, 2, 10, 1);

        assertEquals("Last 30 s: 100 processed, 3 failed attempts, 1 dead-lettered, 0 dead-letter publish failures, "
                + "1 log lines written, 0 log write failures; consumer lag: task-processing 12, dead-letter-log 0; "
                + "since start: 1000 processed, 10 dead-lettered",
                PipelineMonitor.summary(30_000, interval, total, lag, false));
        assertEquals("Last 30 s: 100 processed, 3 failed attempts, 1 dead-lettered, 0 dead-letter publish failures, "
                + "1 log lines written, 0 log write failures; consumer lag (broker not answering, last known): "
                + "task-processing 12, dead-letter-log 0; since start: 1000 processed, 10 dead-lettered",
                PipelineMonitor.summary(30_000, interval, total, lag, true));
        assertEquals("Last 30 s: 100 processed, 3 failed attempts, 1 dead-lettered, 0 dead-letter publish failures, "
                + "1 log lines written, 0 log write failures; consumer lag not measured yet; "
                + "since start: 1000 processed, 10 dead-lettered",
                PipelineMonitor.summary(30_000, interval, total, Map.of(), false));
    }
}
