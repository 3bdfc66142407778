package io.cameldlq.deadletter;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cameldlq.config.RetryPolicy;
import io.cameldlq.metrics.PipelineMetrics;

/**
 * Runs after every failed processing attempt: counts the attempt and keeps the times of the first and the
 * last failure on the exchange, and logs the attempt with the record's coordinates.
 */
public class FailedAttemptRecorder implements Processor {

    /** Exchange property with the number of failed attempts so far. */
    public static final String ATTEMPTS_PROPERTY = "camelDlqFailedAttempts";
    /** Exchange property with the {@link Instant} of the first failed attempt. */
    public static final String FIRST_FAILURE_PROPERTY = "camelDlqFirstFailure";
    /** Exchange property with the {@link Instant} of the last failed attempt. */
    public static final String LAST_FAILURE_PROPERTY = "camelDlqLastFailure";

    private static final Logger LOG = LoggerFactory.getLogger(FailedAttemptRecorder.class);

    private final RetryPolicy policy;
    private final PipelineMetrics metrics;
    private final String retryConsequence;

    public FailedAttemptRecorder(RetryPolicy policy, PipelineMetrics metrics) {
        this(policy, metrics, "retrying");
    }

    /** @param retryConsequence what the log line states happens next when attempts are left */
    public FailedAttemptRecorder(RetryPolicy policy, PipelineMetrics metrics, String retryConsequence) {
        this.policy = policy;
        this.metrics = metrics;
        this.retryConsequence = retryConsequence;
    }

    @Override
    public void process(Exchange exchange) {
        metrics.recordFailedAttempt();
        int attempts = exchange.getProperty(ATTEMPTS_PROPERTY, 0, Integer.class) + 1;
        exchange.setProperty(ATTEMPTS_PROPERTY, attempts);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        if (exchange.getProperty(FIRST_FAILURE_PROPERTY) == null) {
            exchange.setProperty(FIRST_FAILURE_PROPERTY, now);
        }
        exchange.setProperty(LAST_FAILURE_PROPERTY, now);

        Throwable failure = failureOf(exchange);
        String consequence;
        if (policy.isNotRetryable(failure)) {
            consequence = "not retryable";
        } else if (attempts < policy.maximumAttempts()) {
            consequence = retryConsequence;
        } else {
            consequence = "no attempts left";
        }
        LOG.warn("Attempt {} of {} failed for record {}: {}; {}", attempts, policy.maximumAttempts(),
                RecordCoordinates.of(exchange.getMessage()), describe(failure), consequence);
    }

    /** Returns the exception of the failed attempt on {@code exchange}. */
    public static Throwable failureOf(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        return failure != null ? failure : exchange.getException();
    }

    /** Returns the class and message of {@code failure} for a log line. */
    public static String describe(Throwable failure) {
        if (failure == null) {
            return "unknown failure";
        }
        return failure.getClass().getName() + ": " + failure.getMessage();
    }
}
