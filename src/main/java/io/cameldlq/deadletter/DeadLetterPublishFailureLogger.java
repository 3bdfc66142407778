package io.cameldlq.deadletter;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cameldlq.metrics.PipelineMetrics;

/**
 * Logs an ERROR for a record that was neither processed nor dead-lettered, which happens when the
 * dead-letter publish fails (or, in the non-blocking mode, the retry publish). It reads the failure from the
 * exchange of the failed publish. It writes at most one line per interval, and the next line counts the ones
 * left out. So an unavailable dead-letter topic does not flood the log while the record is retried.
 */
public class DeadLetterPublishFailureLogger implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterPublishFailureLogger.class);

    private final String destination;
    private final String consequence;
    private final LogInterval logInterval;

    private final PipelineMetrics metrics;

    public DeadLetterPublishFailureLogger(String deadLetterTopic, long intervalMs, PipelineMetrics metrics) {
        this("dead-letter topic " + deadLetterTopic, "Its offset is not committed and it is tried again from the "
                + "first attempt", intervalMs, metrics);
    }

    /**
     * @param destination what the record could not be published to, e.g. {@code retry topic tasks-retry}
     * @param consequence sentence that states what happens to the record next
     */
    public DeadLetterPublishFailureLogger(String destination, String consequence, long intervalMs,
            PipelineMetrics metrics) {
        this.destination = destination;
        this.consequence = consequence;
        this.logInterval = new LogInterval(intervalMs);
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
        long left = logInterval.admit();
        if (left == LogInterval.HELD_BACK) {
            return;
        }
        String description = FailedAttemptRecorder.describe(exchange.getException());
        // Kafka's messages end with a period, and the sentence below adds its own.
        if (description.endsWith(".")) {
            description = description.substring(0, description.length() - 1);
        }
        LOG.error("Record {} could not be published to {}: {}. {} ({} similar errors in the last {} s not logged)",
                coordinates(exchange), destination, description, consequence,
                left, logInterval.intervalSeconds());
    }
}
