package io.cameldlq.retry;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cameldlq.config.RetryPolicy;
import io.cameldlq.deadletter.DeadLetterRecordPreparer;
import io.cameldlq.deadletter.FailedAttemptRecorder;
import io.cameldlq.deadletter.RecordCoordinates;

/**
 * Prepares the original message of a failed attempt in the non-blocking mode, in place of
 * {@link DeadLetterRecordPreparer} alone. A retryable failure with attempts left becomes a retry record:
 * the source record's key, value, timestamp and headers with the bookkeeping headers of
 * {@link RetryHeaders}. Any other failure becomes the dead letter that the blocking mode publishes.
 *
 * <p>The choice is stored as {@link #OUTCOME_PROPERTY}, which selects the producer. A failure of the wait
 * for the due time, {@link RetryWaitAbortedException}, is no attempt: it gets {@link Outcome#ABANDON}, and
 * the record is published nowhere.
 */
public class RetryOrDeadLetterPreparer implements Processor {

    /** Exchange property with the {@link Outcome} of the failed attempt. */
    public static final String OUTCOME_PROPERTY = "camelDlqFailedAttemptOutcome";

    /** Destination of a failed attempt's record. */
    public enum Outcome {
        /** To the retry topic, for another attempt. */
        RETRY,
        /** To the dead-letter topic. */
        DEAD_LETTER,
        /** Nowhere: the exchange fails and its offset is not committed. */
        ABANDON
    }

    private static final Logger LOG = LoggerFactory.getLogger(RetryOrDeadLetterPreparer.class);

    private final String retryTopic;
    private final RetryPolicy policy;
    private final DeadLetterRecordPreparer deadLetterPreparer;

    public RetryOrDeadLetterPreparer(String retryTopic, RetryPolicy policy,
            DeadLetterRecordPreparer deadLetterPreparer) {
        this.retryTopic = retryTopic;
        this.policy = policy;
        this.deadLetterPreparer = deadLetterPreparer;
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        RetryBookkeeping previous = exchange.getProperty(RetryRecordUnwrapper.BOOKKEEPING_PROPERTY,
                RetryBookkeeping.class);
        if (previous != null) {
            // The original message is the record as read from the retry topic.
            RetryRecordUnwrapper.restoreSource(message, previous);
        }
        Throwable failure = FailedAttemptRecorder.failureOf(exchange);
        if (failure instanceof RetryWaitAbortedException) {
            exchange.setProperty(OUTCOME_PROPERTY, Outcome.ABANDON);
            return;
        }
        int attempts = exchange.getProperty(FailedAttemptRecorder.ATTEMPTS_PROPERTY, 1, Integer.class);
        if (attempts < policy.maximumAttempts() && !policy.isNotRetryable(failure)) {
            prepareRetry(exchange, message, attempts, failure);
            exchange.setProperty(OUTCOME_PROPERTY, Outcome.RETRY);
        } else {
            deadLetterPreparer.process(exchange);
            exchange.setProperty(OUTCOME_PROPERTY, Outcome.DEAD_LETTER);
        }
    }

    private void prepareRetry(Exchange exchange, Message message, int attempts, Throwable failure) {
        RecordCoordinates source = RecordCoordinates.of(message);
        Object key = message.getHeader(KafkaConstants.KEY);
        Long timestamp = message.getHeader(KafkaConstants.TIMESTAMP, Long.class);
        Headers originalHeaders = message.getHeader(KafkaConstants.HEADERS, Headers.class);
        Instant lastFailure = exchange.getProperty(FailedAttemptRecorder.LAST_FAILURE_PROPERTY, Instant.class);
        if (lastFailure == null) {
            lastFailure = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        }
        Instant firstFailure = exchange.getProperty(FailedAttemptRecorder.FIRST_FAILURE_PROPERTY, Instant.class);
        RetryBookkeeping bookkeeping = new RetryBookkeeping(attempts,
                RetryBookkeeping.dueTime(lastFailure, policy, attempts),
                firstFailure == null ? lastFailure : firstFailure, lastFailure,
                source.topic(), source.partition(), source.offset(), timestamp,
                DeadLetterRecordPreparer.timestampTypeOf(exchange, originalHeaders),
                failure == null ? null : failure.getClass().getName(),
                failure == null ? null : failure.getMessage());

        // Kept for DeadLetterPublishFailureLogger, which runs after the headers below replaced the record's.
        exchange.setProperty(DeadLetterRecordPreparer.COORDINATES_PROPERTY, source);
        DeadLetterRecordPreparer.keepRecordHeadersOnly(message, key, timestamp, originalHeaders);
        bookkeeping.toHeaders().forEach(message::setHeader);

        LOG.debug("Record {} goes to retry topic {} for attempt {} of {}, due at {}", source, retryTopic,
                attempts + 1, policy.maximumAttempts(), bookkeeping.dueTime());
    }
}
