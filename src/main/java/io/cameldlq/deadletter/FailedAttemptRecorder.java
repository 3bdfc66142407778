package io.cameldlq.deadletter;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.LongSupplier;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cameldlq.config.RetryPolicy;
import io.cameldlq.metrics.PipelineMetrics;

/**
 * Runs after every failed processing attempt: counts the attempt and keeps the times of the first and the
 * last failure on the exchange, and logs the attempt with the record's coordinates.
 *
 * <p>A failed attempt with attempts left logs a WARN at most once per {@value #LOG_INTERVAL_MS} ms. The
 * next such WARN counts the ones left out, and each of those is logged at DEBUG. With 1 record in 100 failing at
 * tens of thousands of records a second, a line per attempt would flood the log and cost the healthy
 * records CPU. The last attempt logs at DEBUG only: {@link DeadLetterRecordPreparer} logs a WARN for each
 * dead letter with the same failure and the number of attempts. The {@code dlq_failed_attempts_total}
 * metric counts every attempt.
 */
public class FailedAttemptRecorder implements Processor {

    /** Exchange property with the number of failed attempts so far. */
    public static final String ATTEMPTS_PROPERTY = "camelDlqFailedAttempts";
    /** Exchange property with the {@link Instant} of the first failed attempt. */
    public static final String FIRST_FAILURE_PROPERTY = "camelDlqFirstFailure";
    /** Exchange property with the {@link Instant} of the last failed attempt. */
    public static final String LAST_FAILURE_PROPERTY = "camelDlqLastFailure";

    /** Shortest time between two WARN lines about failed attempts with attempts left. */
    static final long LOG_INTERVAL_MS = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(FailedAttemptRecorder.class);

    private final RetryPolicy policy;
    private final PipelineMetrics metrics;
    private final String retryConsequence;
    private final LogInterval logInterval;

    public FailedAttemptRecorder(RetryPolicy policy, PipelineMetrics metrics) {
        this(policy, metrics, "retrying");
    }

    /** @param retryConsequence what the log line states happens next when attempts are left */
    public FailedAttemptRecorder(RetryPolicy policy, PipelineMetrics metrics, String retryConsequence) {
        this(policy, metrics, retryConsequence, System::nanoTime);
    }

    /** @param nanoClock source of {@link System#nanoTime()}-like readings for the log interval */
    FailedAttemptRecorder(RetryPolicy policy, PipelineMetrics metrics, String retryConsequence,
            LongSupplier nanoClock) {
        this.policy = policy;
        this.metrics = metrics;
        this.retryConsequence = retryConsequence;
        this.logInterval = new LogInterval(LOG_INTERVAL_MS, nanoClock);
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
        String consequence = retryConsequence;
        long left = LogInterval.HELD_BACK;
        if (policy.isNotRetryable(failure)) {
            consequence = "not retryable";
        } else if (attempts >= policy.maximumAttempts()) {
            consequence = "no attempts left";
        } else {
            left = logInterval.admit();
        }
        if (left != LogInterval.HELD_BACK) {
            LOG.warn("Attempt {} of {} failed for record {}: {}; {} ({} more failed attempts with attempts left "
                    + "since the last such WARN, logged at DEBUG only)", attempts, policy.maximumAttempts(),
                    RecordCoordinates.of(exchange.getMessage()), describe(failure), consequence, left);
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("Attempt {} of {} failed for record {}: {}; {}", attempts, policy.maximumAttempts(),
                    RecordCoordinates.of(exchange.getMessage()), describe(failure), consequence);
        }
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
