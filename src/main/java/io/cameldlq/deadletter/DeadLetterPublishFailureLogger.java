package io.cameldlq.deadletter;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cameldlq.metrics.PipelineMetrics;

/**
 * Logs an ERROR for a record that was neither processed nor dead-lettered, which happens when the
 * dead-letter publish fails. It writes at most one line per interval, and the next line counts the ones
 * left out. So an unavailable dead-letter topic does not flood the log while the record is retried.
 */
public class DeadLetterPublishFailureLogger implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterPublishFailureLogger.class);

    private final String deadLetterTopic;
    private final long intervalNanos;
    private final AtomicLong lastLoggedAt = new AtomicLong(System.nanoTime() - Long.MAX_VALUE / 2);
    private final AtomicLong suppressed = new AtomicLong();

    private final PipelineMetrics metrics;

    public DeadLetterPublishFailureLogger(String deadLetterTopic, long intervalMs, PipelineMetrics metrics) {
        this.deadLetterTopic = deadLetterTopic;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMs);
        this.metrics = metrics;
    }

    private static RecordCoordinates coordinates(Exchange exchange) {
        RecordCoordinates prepared = exchange.getProperty(DeadLetterRecordPreparer.COORDINATES_PROPERTY,
                RecordCoordinates.class);
        return prepared != null ? prepared : RecordCoordinates.of(exchange.getMessage());
    }

    @Override
    public void process(Exchange exchange) {
        metrics.recordPublishFailure();
        long now = System.nanoTime();
        long last = lastLoggedAt.get();
        if (now - last < intervalNanos || !lastLoggedAt.compareAndSet(last, now)) {
            suppressed.incrementAndGet();
            return;
        }
        Throwable failure = exchange.getException();
        long left = suppressed.getAndSet(0);
        LOG.error("Record {} could not be published to dead-letter topic {}: {}. Its offset is not committed and "
                + "it is tried again from the first attempt ({} similar errors in the last {} s not logged)",
                coordinates(exchange), deadLetterTopic, FailedAttemptRecorder.describe(failure),
                left, TimeUnit.NANOSECONDS.toSeconds(intervalNanos));
    }
}
