package io.cameldlq.deadletter;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.apache.camel.Message;

import io.cameldlq.config.InvalidSettingException;

/**
 * The header names and encodings of a dead letter's diagnostics, chosen by
 * {@code dead-letter.header-dialect} so that existing tools read them.
 *
 * <ul>
 *   <li>{@code camel-dlq}: the names of {@link DeadLetterHeaders}, every value UTF-8 text.</li>
 *   <li>{@code spring}: the {@code kafka_dlt-*} names of Spring Kafka's DeadLetterPublishingRecoverer, with
 *       its encodings: partition as a 4-byte and offset and timestamp as 8-byte big-endian integers.</li>
 *   <li>{@code connect}: the {@code __connect.errors.*} names of Kafka Connect's dead letter queue, UTF-8
 *       text; the consumer group is written as the connector name and the instance id as the task id.</li>
 * </ul>
 * Diagnostics that a dialect has no name for (attempts, reason, failure times, and so on) are written
 * with the {@code dlq-*} names in every dialect.
 */
public enum HeaderDialect {

    CAMEL_DLQ("camel-dlq"),
    SPRING("spring"),
    CONNECT("connect");

    public static final String KEY = "dead-letter.header-dialect";

    static final String SPRING_PREFIX = "kafka_dlt-";
    static final String CONNECT_PREFIX = "__connect.errors.";

    private final String propertyValue;

    HeaderDialect(String propertyValue) {
        this.propertyValue = propertyValue;
    }

    /** Returns the dialect that {@code value} of {@value #KEY} names. */
    public static HeaderDialect of(String value) {
        String requested = value.trim().toLowerCase(Locale.ROOT);
        for (HeaderDialect dialect : values()) {
            if (dialect.propertyValue.equals(requested)) {
                return dialect;
            }
        }
        throw new InvalidSettingException(KEY, value, "must be camel-dlq, spring or connect");
    }

    /** Writes {@code diagnostics} as headers of {@code message}. */
    void write(Message message, Diagnostics diagnostics) {
        switch (this) {
            case SPRING -> {
                text(message, SPRING_PREFIX + "original-topic", diagnostics.topic());
                if (diagnostics.partition() != null) {
                    message.setHeader(SPRING_PREFIX + "original-partition",
                            ByteBuffer.allocate(Integer.BYTES).putInt(diagnostics.partition()).array());
                }
                binaryLong(message, SPRING_PREFIX + "original-offset", diagnostics.offset());
                binaryLong(message, SPRING_PREFIX + "original-timestamp", diagnostics.timestamp());
                text(message, SPRING_PREFIX + "original-timestamp-type", diagnostics.timestampType());
                text(message, SPRING_PREFIX + "original-consumer-group", diagnostics.consumerGroup());
                text(message, SPRING_PREFIX + "exception-fqcn", diagnostics.exceptionClass());
                text(message, SPRING_PREFIX + "exception-cause-fqcn", diagnostics.rootCauseClass());
                text(message, SPRING_PREFIX + "exception-message", diagnostics.exceptionMessage());
                bytes(message, SPRING_PREFIX + "exception-stacktrace", diagnostics.stackTrace());
                text(message, DeadLetterHeaders.INSTANCE_ID, diagnostics.instanceId());
            }
            case CONNECT -> {
                text(message, CONNECT_PREFIX + "topic", diagnostics.topic());
                text(message, CONNECT_PREFIX + "partition", diagnostics.partition());
                text(message, CONNECT_PREFIX + "offset", diagnostics.offset());
                text(message, CONNECT_PREFIX + "connector.name", diagnostics.consumerGroup());
                text(message, CONNECT_PREFIX + "task.id", diagnostics.instanceId());
                text(message, CONNECT_PREFIX + "exception.class.name", diagnostics.exceptionClass());
                text(message, CONNECT_PREFIX + "exception.message", diagnostics.exceptionMessage());
                bytes(message, CONNECT_PREFIX + "exception.stacktrace", diagnostics.stackTrace());
                text(message, DeadLetterHeaders.ORIGINAL_TIMESTAMP, diagnostics.timestamp());
                text(message, DeadLetterHeaders.ORIGINAL_TIMESTAMP_TYPE, diagnostics.timestampType());
                text(message, DeadLetterHeaders.EXCEPTION_ROOT_CAUSE_CLASS, diagnostics.rootCauseClass());
            }
            default -> {
                text(message, DeadLetterHeaders.ORIGINAL_TOPIC, diagnostics.topic());
                text(message, DeadLetterHeaders.ORIGINAL_PARTITION, diagnostics.partition());
                text(message, DeadLetterHeaders.ORIGINAL_OFFSET, diagnostics.offset());
                text(message, DeadLetterHeaders.ORIGINAL_TIMESTAMP, diagnostics.timestamp());
                text(message, DeadLetterHeaders.ORIGINAL_TIMESTAMP_TYPE, diagnostics.timestampType());
                text(message, DeadLetterHeaders.CONSUMER_GROUP, diagnostics.consumerGroup());
                text(message, DeadLetterHeaders.INSTANCE_ID, diagnostics.instanceId());
                text(message, DeadLetterHeaders.EXCEPTION_CLASS, diagnostics.exceptionClass());
                text(message, DeadLetterHeaders.EXCEPTION_ROOT_CAUSE_CLASS, diagnostics.rootCauseClass());
                text(message, DeadLetterHeaders.EXCEPTION_MESSAGE, diagnostics.exceptionMessage());
                bytes(message, DeadLetterHeaders.EXCEPTION_STACK_TRACE, diagnostics.stackTrace());
            }
        }
        text(message, DeadLetterHeaders.ATTEMPTS, diagnostics.attempts());
        text(message, DeadLetterHeaders.FIRST_FAILURE_TIME, diagnostics.firstFailure());
        text(message, DeadLetterHeaders.LAST_FAILURE_TIME, diagnostics.lastFailure());
        text(message, DeadLetterHeaders.REASON, diagnostics.reason());
    }

    /** Returns whether {@code name} is a diagnostic header of any dialect, so one that is replaced. */
    static boolean isDiagnostic(String name) {
        return name.startsWith(DeadLetterHeaders.PREFIX) || name.startsWith(SPRING_PREFIX)
                || name.startsWith(CONNECT_PREFIX);
    }

    /** Sets a header as UTF-8 bytes, because camel-kafka encodes String headers in the platform charset. */
    private static void text(Message message, String name, Object value) {
        if (value != null) {
            message.setHeader(name, value.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void bytes(Message message, String name, byte[] value) {
        if (value != null) {
            message.setHeader(name, value);
        }
    }

    private static void binaryLong(Message message, String name, Long value) {
        if (value != null) {
            message.setHeader(name, ByteBuffer.allocate(Long.BYTES).putLong(value).array());
        }
    }
}
