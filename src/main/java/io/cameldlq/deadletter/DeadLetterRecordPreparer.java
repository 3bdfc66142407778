package io.cameldlq.deadletter;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.record.TimestampType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cameldlq.config.PipelineSettings;
import io.cameldlq.config.RetryPolicy;
import io.cameldlq.metrics.PipelineMetrics;

/**
 * Turns the original message of a failed exchange into the dead-letter record: the same key, value and
 * timestamp, the original headers (restored by {@link OriginalHeadersInterceptor}) and the diagnostic
 * headers of {@link DeadLetterHeaders}.
 *
 * <p>All other message headers are removed first, so no header of the failed record (for example
 * {@code kafka.OVERRIDE_TOPIC} or {@code CamelFileName} in any letter case) can redirect the publish.
 */
public class DeadLetterRecordPreparer implements Processor {

    /** Exchange property with the {@link PreparedDeadLetter} of a prepared dead letter. */
    static final String DEAD_LETTER_PROPERTY = "camelDlqPreparedDeadLetter";

    /** Reason and failure of a prepared dead letter, for the metrics once it is acknowledged. */
    record PreparedDeadLetter(String reason, Throwable failure) {
    }

    /** Exchange property with the {@link RecordCoordinates} of the failed record. */
    public static final String COORDINATES_PROPERTY = "camelDlqRecordCoordinates";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterRecordPreparer.class);

    private static final String TRUNCATION_MARKER = "\n... [truncated]";

    private final String deadLetterTopic;
    private final String consumerGroup;
    private final String instanceId;
    private final int stackTraceMaxBytes;
    private final RetryPolicy policy;
    private final HeaderDialect dialect;
    private final DeadLetterPartitions partitions;

    /**
     * @param stackTraceMaxBytes longest stack trace header, in UTF-8 bytes; a longer one is cut and ends with
     *                           a truncation marker
     */
    public DeadLetterRecordPreparer(String deadLetterTopic, String consumerGroup, String instanceId,
            int stackTraceMaxBytes, RetryPolicy policy, HeaderDialect dialect, DeadLetterPartitions partitions) {
        this.deadLetterTopic = deadLetterTopic;
        this.consumerGroup = consumerGroup;
        this.instanceId = instanceId;
        this.stackTraceMaxBytes = stackTraceMaxBytes;
        this.policy = policy;
        this.dialect = dialect;
        this.partitions = partitions;
    }

    /** Creates the preparer of the pipeline's dead letters from its settings. */
    public static DeadLetterRecordPreparer of(PipelineSettings settings, RetryPolicy policy,
            DeadLetterPartitions partitions) {
        return new DeadLetterRecordPreparer(settings.deadLetterTopic(), settings.sourceGroupId(),
                settings.instanceId(), settings.stackTraceMaxBytes(), policy, settings.headerDialect(), partitions);
    }

    /**
     * Returns the timestamp type of the record that {@code exchange} consumed: the one that
     * {@link TimestampTypeInterceptor} recorded among its headers, CreateTime when the interceptor ran on its
     * consumer and recorded none, or null when it is not known.
     */
    public static String timestampTypeOf(Exchange exchange, Headers originalHeaders) {
        Header timestampType = originalHeaders == null ? null
                : originalHeaders.lastHeader(DeadLetterHeaders.TIMESTAMP_TYPE_CARRIER);
        if (timestampType != null) {
            return new String(timestampType.value(), StandardCharsets.UTF_8);
        }
        boolean intercepted = TimestampTypeInterceptor.isInstalledOn(exchange.getFromEndpoint());
        return intercepted ? TimestampType.CREATE_TIME.name : null;
    }

    /**
     * Replaces every header of {@code message} with those of an outgoing record: its key, its timestamp and
     * its original headers. So no header of the failed record can redirect the publish.
     */
    public static void keepRecordHeadersOnly(Message message, Object key, Long timestamp, Headers originalHeaders) {
        message.removeHeaders("*");
        if (key != null) {
            message.setHeader(KafkaConstants.KEY, key);
        }
        if (timestamp != null) {
            message.setHeader(KafkaConstants.OVERRIDE_TIMESTAMP, timestamp);
        }
        message.setHeader(DeadLetterHeaders.ORIGINAL_HEADERS_CARRIER, OriginalHeaders.encode(originalHeaders));
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

        // Kept for DeadLetterPublishFailureLogger, which runs after the headers below replaced the record's.
        exchange.setProperty(COORDINATES_PROPERTY, coordinates);
        keepRecordHeadersOnly(message, key, timestamp, originalHeaders);
        Integer partition = partitions.partitionFor(coordinates.partition());
        if (partition != null) {
            message.setHeader(KafkaConstants.PARTITION_KEY, partition);
        }
        String reason = policy.isNotRetryable(failure)
                ? DeadLetterHeaders.REASON_NOT_RETRYABLE : DeadLetterHeaders.REASON_RETRIES_EXHAUSTED;
        dialect.write(message, new Diagnostics(coordinates.topic(), coordinates.partition(), coordinates.offset(),
                timestamp, timestampTypeOf(exchange, originalHeaders),
                consumerGroup, instanceId,
                failure == null ? null : failure.getClass().getName(),
                failure == null ? null : rootCause(failure).getClass().getName(),
                failure == null ? null : failure.getMessage(),
                failure == null ? null : stackTrace(failure, stackTraceMaxBytes),
                attempts,
                exchange.getProperty(FailedAttemptRecorder.FIRST_FAILURE_PROPERTY, Instant.class),
                exchange.getProperty(FailedAttemptRecorder.LAST_FAILURE_PROPERTY, Instant.class),
                reason));

        // Counted by recordAcknowledged once the dead-letter topic acknowledged the record.
        exchange.setProperty(DEAD_LETTER_PROPERTY, new PreparedDeadLetter(reason, failure));
        LOG.warn("Record {} failed after {} {} ({}); publishing it to dead-letter topic {}: {}",
                coordinates, attempts, attempts == 1 ? "attempt" : "attempts", reason, deadLetterTopic,
                FailedAttemptRecorder.describe(failure));
    }

    /**
     * Counts the dead letter prepared on {@code exchange}, or on the exchange it was copied from, in
     * {@code metrics}. Its publisher calls this once the dead-letter topic acknowledged the record.
     */
    public static void recordAcknowledged(Exchange exchange, PipelineMetrics metrics) {
        PreparedDeadLetter prepared = exchange.getProperty(DEAD_LETTER_PROPERTY, PreparedDeadLetter.class);
        if (prepared != null) {
            metrics.recordDeadLettered(prepared.reason(), prepared.failure());
        }
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable current = failure;
        while (current.getCause() != null && current.getCause() != current) {
            current = current.getCause();
        }
        return current;
    }

    /** Returns the stack trace as UTF-8, cut at a character boundary to fit {@code maxBytes} with its marker. */
    static byte[] stackTrace(Throwable failure, int maxBytes) {
        StringWriter text = new StringWriter();
        failure.printStackTrace(new PrintWriter(text));
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            return bytes;
        }
        byte[] marker = TRUNCATION_MARKER.getBytes(StandardCharsets.UTF_8);
        int cut = Math.max(0, maxBytes - marker.length);
        // Step back to the first byte of a UTF-8 sequence, so that no character is split.
        while (cut > 0 && (bytes[cut] & 0xC0) == 0x80) {
            cut--;
        }
        byte[] truncated = Arrays.copyOf(bytes, cut + marker.length);
        System.arraycopy(marker, 0, truncated, cut, marker.length);
        return truncated;
    }
}
