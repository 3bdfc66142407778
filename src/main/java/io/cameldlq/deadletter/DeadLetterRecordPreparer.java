package io.cameldlq.deadletter;

import java.nio.charset.StandardCharsets;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the original message of a failed exchange into the dead-letter record: the same key, value and
 * timestamp, the original headers (restored by {@link OriginalHeadersInterceptor}) and the diagnostic
 * headers of {@link DeadLetterHeaders}.
 *
 * <p>All other message headers are removed first, so no header of the failed record (for example
 * {@code kafka.OVERRIDE_TOPIC} or {@code CamelFileName} in any letter case) can redirect the publish.
 */
public class DeadLetterRecordPreparer implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterRecordPreparer.class);

    private final String deadLetterTopic;

    public DeadLetterRecordPreparer(String deadLetterTopic) {
        this.deadLetterTopic = deadLetterTopic;
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        RecordCoordinates coordinates = RecordCoordinates.of(message);
        Object key = message.getHeader(KafkaConstants.KEY);
        Long timestamp = message.getHeader(KafkaConstants.TIMESTAMP, Long.class);
        Headers originalHeaders = message.getHeader(KafkaConstants.HEADERS, Headers.class);
        int attempts = exchange.getProperty(FailedAttemptRecorder.ATTEMPTS_PROPERTY, 1, Integer.class);
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);

        message.removeHeaders("*");
        if (key != null) {
            message.setHeader(KafkaConstants.KEY, key);
        }
        if (timestamp != null) {
            message.setHeader(KafkaConstants.OVERRIDE_TIMESTAMP, timestamp);
        }
        message.setHeader(DeadLetterHeaders.ORIGINAL_HEADERS_CARRIER, OriginalHeaders.encode(originalHeaders));
        setText(message, DeadLetterHeaders.ORIGINAL_TOPIC, coordinates.topic());
        setText(message, DeadLetterHeaders.ORIGINAL_PARTITION, coordinates.partition());
        setText(message, DeadLetterHeaders.ORIGINAL_OFFSET, coordinates.offset());
        setText(message, DeadLetterHeaders.ORIGINAL_TIMESTAMP, timestamp);
        setText(message, DeadLetterHeaders.ATTEMPTS, attempts);
        if (failure != null) {
            setText(message, DeadLetterHeaders.EXCEPTION_CLASS, failure.getClass().getName());
            setText(message, DeadLetterHeaders.EXCEPTION_MESSAGE, failure.getMessage());
        }

        LOG.warn("Record {} failed after {} attempts; publishing it to dead-letter topic {}: {}",
                coordinates, attempts, deadLetterTopic, FailedAttemptRecorder.describe(failure));
    }

    /** Sets a header as UTF-8 bytes, because camel-kafka encodes String headers in the platform charset. */
    private static void setText(Message message, String name, Object value) {
        if (value != null) {
            message.setHeader(name, value.toString().getBytes(StandardCharsets.UTF_8));
        }
    }
}
