package io.cameldlq.deadletter;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.function.Function;

import org.apache.camel.Message;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The diagnostics of a dead letter: its original record and its failure, independent of the header dialect.
 *
 * @param topic            original topic
 * @param partition        original partition
 * @param offset           original offset
 * @param timestamp        original timestamp, epoch milliseconds
 * @param timestampType    type of the original timestamp, e.g. {@code CreateTime}
 * @param consumerGroup    consumer group that failed to process the record
 * @param instanceId       application instance that dead-lettered it
 * @param exceptionClass   class of the last attempt's exception
 * @param rootCauseClass   class of that exception's innermost cause
 * @param exceptionMessage message of the last attempt's exception
 * @param stackTrace       stack trace, UTF-8, already bounded
 * @param attempts         processing attempts made
 * @param firstFailure     time of the first failed attempt
 * @param lastFailure      time of the last failed attempt
 * @param reason           {@link DeadLetterHeaders#REASON_RETRIES_EXHAUSTED} or {@link DeadLetterHeaders#REASON_NOT_RETRYABLE}
 */
public record Diagnostics(String topic, Integer partition, Long offset, Long timestamp, String timestampType,
        String consumerGroup,
        String instanceId, String exceptionClass, String rootCauseClass, String exceptionMessage, byte[] stackTrace,
        Integer attempts, Instant firstFailure, Instant lastFailure, String reason) {

    /**
     * Reads the diagnostics of a consumed dead letter from its headers in any {@link HeaderDialect}; a
     * value the headers lack, or that does not parse, is null.
     */
    public static Diagnostics read(Message message) {
        return read(name -> message.getHeader(name, byte[].class));
    }

    /** Reads the diagnostics of a consumed dead letter from its record headers, as {@link #read(Message)}. */
    public static Diagnostics read(Headers headers) {
        return read(name -> {
            Header header = headers.lastHeader(name);
            return header == null ? null : header.value();
        });
    }

    private static Diagnostics read(Function<String, byte[]> message) {
        String spring = HeaderDialect.SPRING_PREFIX;
        String connect = HeaderDialect.CONNECT_PREFIX;
        return new Diagnostics(
                first(text(message, DeadLetterHeaders.ORIGINAL_TOPIC), text(message, spring + "original-topic"),
                        text(message, connect + "topic")),
                first(integer(text(message, DeadLetterHeaders.ORIGINAL_PARTITION)),
                        binaryInt(message, spring + "original-partition"),
                        integer(text(message, connect + "partition"))),
                first(longValue(text(message, DeadLetterHeaders.ORIGINAL_OFFSET)),
                        binaryLong(message, spring + "original-offset"),
                        longValue(text(message, connect + "offset"))),
                first(longValue(text(message, DeadLetterHeaders.ORIGINAL_TIMESTAMP)),
                        binaryLong(message, spring + "original-timestamp")),
                first(text(message, DeadLetterHeaders.ORIGINAL_TIMESTAMP_TYPE),
                        text(message, spring + "original-timestamp-type")),
                first(text(message, DeadLetterHeaders.CONSUMER_GROUP),
                        text(message, spring + "original-consumer-group"), text(message, connect + "connector.name")),
                first(text(message, DeadLetterHeaders.INSTANCE_ID), text(message, connect + "task.id")),
                first(text(message, DeadLetterHeaders.EXCEPTION_CLASS), text(message, spring + "exception-fqcn"),
                        text(message, connect + "exception.class.name")),
                first(text(message, DeadLetterHeaders.EXCEPTION_ROOT_CAUSE_CLASS),
                        text(message, spring + "exception-cause-fqcn")),
                first(text(message, DeadLetterHeaders.EXCEPTION_MESSAGE), text(message, spring + "exception-message"),
                        text(message, connect + "exception.message")),
                first(message.apply(DeadLetterHeaders.EXCEPTION_STACK_TRACE),
                        message.apply(spring + "exception-stacktrace"),
                        message.apply(connect + "exception.stacktrace")),
                integer(text(message, DeadLetterHeaders.ATTEMPTS)),
                instant(text(message, DeadLetterHeaders.FIRST_FAILURE_TIME)),
                instant(text(message, DeadLetterHeaders.LAST_FAILURE_TIME)),
                text(message, DeadLetterHeaders.REASON));
    }

    @SafeVarargs
    private static <T> T first(T... candidates) {
        for (T candidate : candidates) {
            if (candidate != null) {
                return candidate;
            }
        }
        return null;
    }

    private static String text(Function<String, byte[]> message, String header) {
        byte[] value = message.apply(header);
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    /** Parses a non-negative decimal; anything else counts as missing. */
    private static Integer integer(String text) {
        Long value = longValue(text);
        return value == null || value > Integer.MAX_VALUE ? null : value.intValue();
    }

    private static Long longValue(String text) {
        try {
            Long value = text == null ? null : Long.valueOf(text.trim());
            return value == null || value < 0 ? null : value;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Integer binaryInt(Function<String, byte[]> message, String header) {
        byte[] value = message.apply(header);
        return value == null || value.length != Integer.BYTES ? null : ByteBuffer.wrap(value).getInt();
    }

    private static Long binaryLong(Function<String, byte[]> message, String header) {
        byte[] value = message.apply(header);
        return value == null || value.length != Long.BYTES ? null : ByteBuffer.wrap(value).getLong();
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
