package io.cameldlq.retry;

import java.nio.charset.StandardCharsets;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cameldlq.deadletter.DeadLetterHeaders;
import io.cameldlq.deadletter.FailedAttemptRecorder;
import io.cameldlq.deadletter.RecordCoordinates;
import io.cameldlq.deadletter.TimestampTypeInterceptor;

/**
 * First step of the task-processing-retry route. It reads the bookkeeping headers of a record from the
 * retry topic and continues the attempt count and failure times on the exchange. Then it turns the message
 * back into the source record, with the source topic, partition, offset, timestamp and timestamp type in
 * camel-kafka's headers and no bookkeeping header. So the task processor, the attempt log lines and the
 * dead letter get the record as the task-processing route consumed it.
 */
public class RetryRecordUnwrapper implements Processor {

    /** Exchange property with the {@link RetryBookkeeping} of the record from the retry topic. */
    public static final String BOOKKEEPING_PROPERTY = "camelDlqRetryBookkeeping";

    private static final Logger LOG = LoggerFactory.getLogger(RetryRecordUnwrapper.class);

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        RetryBookkeeping bookkeeping = RetryBookkeeping.read(name -> message.getHeader(name, byte[].class));
        int attempts = bookkeeping.attempts() == null ? 1 : bookkeeping.attempts();
        if (bookkeeping.attempts() == null || bookkeeping.sourceTopic() == null) {
            LOG.warn("Record {} in the retry topic lacks valid {} or {} headers; it counts as {} failed attempts "
                    + "and keeps the coordinates it has", RecordCoordinates.of(message), RetryHeaders.ATTEMPTS,
                    RetryHeaders.SOURCE_TOPIC, attempts);
        }
        exchange.setProperty(BOOKKEEPING_PROPERTY, bookkeeping);
        exchange.setProperty(FailedAttemptRecorder.ATTEMPTS_PROPERTY, attempts);
        if (bookkeeping.firstFailure() != null) {
            exchange.setProperty(FailedAttemptRecorder.FIRST_FAILURE_PROPERTY, bookkeeping.firstFailure());
        }
        if (bookkeeping.lastFailure() != null) {
            exchange.setProperty(FailedAttemptRecorder.LAST_FAILURE_PROPERTY, bookkeeping.lastFailure());
        }
        restoreSource(message, bookkeeping);
    }

    /**
     * Replaces the retry record's coordinates, timestamp and timestamp type in {@code message} with the
     * source record's and removes the bookkeeping headers. The consumed Kafka headers are copied, not
     * changed, because Camel's copy of the original message shares them.
     */
    public static void restoreSource(Message message, RetryBookkeeping bookkeeping) {
        // Marked as the source consumer's interceptor marked it.
        byte[] timestampType = TimestampTypeInterceptor.headerValue(bookkeeping.sourceTimestampType());
        Headers consumed = message.getHeader(KafkaConstants.HEADERS, Headers.class);
        RecordHeaders restored = new RecordHeaders();
        if (consumed != null) {
            for (Header header : consumed) {
                if (!RetryHeaders.isBookkeeping(header.key())
                        && !header.key().equals(DeadLetterHeaders.TIMESTAMP_TYPE_CARRIER)) {
                    restored.add(header);
                }
            }
        }
        if (timestampType != null) {
            restored.add(DeadLetterHeaders.TIMESTAMP_TYPE_CARRIER, timestampType);
            message.setHeader(DeadLetterHeaders.TIMESTAMP_TYPE_CARRIER, timestampType);
        }
        message.setHeader(KafkaConstants.HEADERS, restored);
        // Not Camel's removeHeaders(pattern), which also compiles the pattern as a regular expression for every
        // header that the wildcard does not match. In a CPU profile that was most of this method's time.
        message.getHeaders().keySet().removeIf(RetryHeaders::isBookkeepingCamelHeader);

        setIfPresent(message, KafkaConstants.TOPIC, bookkeeping.sourceTopic());
        setIfPresent(message, KafkaConstants.PARTITION, bookkeeping.sourcePartition());
        setIfPresent(message, KafkaConstants.OFFSET, bookkeeping.sourceOffset());
        setIfPresent(message, KafkaConstants.TIMESTAMP, bookkeeping.sourceTimestamp());
    }

    private static void setIfPresent(Message message, String name, Object value) {
        if (value != null) {
            message.setHeader(name, value);
        }
    }
}
