package io.cameldlq.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.MicrometerUtils;
import org.apache.camel.spi.Registry;

import io.cameldlq.config.ContextBeans;
import io.cameldlq.config.PipelineSettings;

/**
 * The pipeline's own counters, registered in the Micrometer registry that Camel scrapes at
 * {@code /observe/metrics}. Each counter is looked up once, so counting a record costs an addition.
 *
 * <p>Meter names start with {@code dlq.} (Prometheus: {@code dlq_..._total}); the README lists them.
 */
public final class PipelineMetrics {

    /** Name of this bean in the Camel registry. */
    public static final String BEAN_NAME = "pipelineMetrics";

    static final String PROCESSED = "dlq.records.processed";
    static final String FAILED_ATTEMPTS = "dlq.failed.attempts";
    static final String REDELIVERIES = "dlq.redeliveries";
    static final String DEAD_LETTERED = "dlq.dead.lettered";
    static final String PUBLISH_FAILURES = "dlq.dead.letter.publish.failures";
    static final String LOG_LINES = "dlq.log.lines.written";
    static final String LOG_WRITE_FAILURES = "dlq.log.write.failures";

    private final MeterRegistry registry;
    private final Counter processed;
    private final Counter redeliveries;
    private final Counter publishFailures;
    private final Counter logLines;
    private final Counter logWriteFailures;
    private final Counter failedAttempts;
    private final Map<Tags, Counter> deadLettered = new ConcurrentHashMap<>();
    private final String deadLetterTopic;

    public PipelineMetrics(MeterRegistry registry, String sourceTopic, String deadLetterTopic) {
        this.registry = registry;
        this.deadLetterTopic = deadLetterTopic;
        Tags source = Tags.of("topic", sourceTopic);
        Tags deadLetters = Tags.of("topic", deadLetterTopic);
        processed = Counter.builder(PROCESSED).tags(source)
                .description("Records the task processor completed without an exception").register(registry);
        failedAttempts = Counter.builder(FAILED_ATTEMPTS).tags(source)
                .description("Processing attempts that threw an exception").register(registry);
        redeliveries = Counter.builder(REDELIVERIES).tags(source)
                .description("Retries of records whose previous attempt failed").register(registry);
        publishFailures = Counter.builder(PUBLISH_FAILURES).tags(deadLetters)
                .description("Dead-letter publishes that failed; the record is attempted again").register(registry);
        logLines = Counter.builder(LOG_LINES).tags(deadLetters)
                .description("Lines appended to the dead-letter log").register(registry);
        logWriteFailures = Counter.builder(LOG_WRITE_FAILURES).tags(deadLetters)
                .description("Failed attempts to write a dead-letter log line").register(registry);
    }

    /**
     * Returns the metrics bean of {@code context}, creating it on first use. Its counters go to the registry
     * that camel-micrometer-prometheus exposes, created here if Camel has not created it yet, so the
     * counters also feed the summary line when the metrics endpoint is off.
     */
    public static PipelineMetrics of(CamelContext context) {
        return ContextBeans.getOrBind(context, BEAN_NAME, PipelineMetrics.class, () -> {
            Registry beans = context.getRegistry();
            MeterRegistry registry = MicrometerUtils.getMeterRegistryFromCamelRegistry(beans,
                    MicrometerConstants.METRICS_REGISTRY_NAME);
            if (registry == null) {
                registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
                beans.bind(MicrometerConstants.METRICS_REGISTRY_NAME, registry);
            }
            PipelineSettings settings = PipelineSettings.load(context);
            return new PipelineMetrics(registry, settings.sourceTopic(), settings.deadLetterTopic());
        });
    }

    /** Returns the registry the counters are in. */
    public MeterRegistry registry() {
        return registry;
    }

    public void recordProcessed() {
        processed.increment();
    }

    public void recordFailedAttempt() {
        failedAttempts.increment();
    }

    public void recordRedelivery() {
        redeliveries.increment();
    }

    /** Counts a record acknowledged by the dead-letter topic, tagged with its reason and exception class. */
    public void recordDeadLettered(String reason, Throwable failure) {
        Tags tags = Tags.of("topic", deadLetterTopic, "reason", reason, "exception",
                failure == null ? "unknown" : failure.getClass().getName());
        deadLettered.computeIfAbsent(tags, key -> Counter.builder(DEAD_LETTERED).tags(key)
                .description("Records published to the dead-letter topic").register(registry)).increment();
    }

    public void recordPublishFailure() {
        publishFailures.increment();
    }

    public void recordLogLineWritten() {
        logLines.increment();
    }

    public void recordLogWriteFailure() {
        logWriteFailures.increment();
    }

    /** Returns the current totals, for the periodic summary line. */
    public Totals totals() {
        double deadLetteredTotal = 0;
        for (Counter counter : deadLettered.values()) {
            deadLetteredTotal += counter.count();
        }
        return new Totals((long) processed.count(), (long) failedAttempts.count(), (long) deadLetteredTotal,
                (long) publishFailures.count(), (long) logLines.count(), (long) logWriteFailures.count());
    }

    /** Counter values at one moment. */
    public record Totals(long processed, long failedAttempts, long deadLettered, long publishFailures,
            long logLinesWritten, long logWriteFailures) {

        /** Returns how much each counter grew since {@code earlier}. */
        public Totals minus(Totals earlier) {
            return new Totals(processed - earlier.processed, failedAttempts - earlier.failedAttempts,
                    deadLettered - earlier.deadLettered, publishFailures - earlier.publishFailures,
                    logLinesWritten - earlier.logLinesWritten, logWriteFailures - earlier.logWriteFailures);
        }
    }
}
