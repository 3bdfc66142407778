package io.cameldlq.retry;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import io.cameldlq.config.RetryPolicy;

/**
 * The bookkeeping of a record in the retry topic: its source record and its failed attempts, carried as the
 * headers of {@link RetryHeaders}. Any value may be null: it is left out of the headers, and a header
 * that is missing or does not parse is read as null.
 *
 * @param attempts            failed attempts so far
 * @param dueTime             earliest time of the next attempt
 * @param firstFailure        time of the first failed attempt
 * @param lastFailure         time of the last failed attempt
 * @param sourceTopic         topic of the source record
 * @param sourcePartition     its partition
 * @param sourceOffset        its offset
 * @param sourceTimestamp     its timestamp, epoch milliseconds
 * @param sourceTimestampType type of that timestamp, e.g. {@code CreateTime}
 * @param exceptionClass      class of the last attempt's exception
 * @param exceptionMessage    message of the last attempt's exception
 */
public record RetryBookkeeping(Integer attempts, Instant dueTime, Instant firstFailure, Instant lastFailure,
        String sourceTopic, Integer sourcePartition, Long sourceOffset, Long sourceTimestamp,
        String sourceTimestampType, String exceptionClass, String exceptionMessage) {

    /**
     * Returns the due time of the attempt after {@code failedAttempts} failed ones: the last failure plus
     * the policy's pause before that retry, back-off and jitter included.
     */
    public static Instant dueTime(Instant lastFailure, RetryPolicy policy, int failedAttempts) {
        return lastFailure.plusMillis(policy.delayBeforeRetry(failedAttempts));
    }

    /** Returns the headers, in the order of {@link RetryHeaders}, as UTF-8 values; null values are left out. */
    public Map<String, byte[]> toHeaders() {
        Map<String, byte[]> headers = new LinkedHashMap<>();
        put(headers, RetryHeaders.ATTEMPTS, attempts);
        put(headers, RetryHeaders.DUE_TIME, epochMillis(dueTime));
        put(headers, RetryHeaders.FIRST_FAILURE_TIME, epochMillis(firstFailure));
        put(headers, RetryHeaders.LAST_FAILURE_TIME, epochMillis(lastFailure));
        put(headers, RetryHeaders.SOURCE_TOPIC, sourceTopic);
        put(headers, RetryHeaders.SOURCE_PARTITION, sourcePartition);
        put(headers, RetryHeaders.SOURCE_OFFSET, sourceOffset);
        put(headers, RetryHeaders.SOURCE_TIMESTAMP, sourceTimestamp);
        put(headers, RetryHeaders.SOURCE_TIMESTAMP_TYPE, sourceTimestampType);
        put(headers, RetryHeaders.EXCEPTION_CLASS, exceptionClass);
        put(headers, RetryHeaders.EXCEPTION_MESSAGE, exceptionMessage);
        return headers;
    }

    /** Reads the bookkeeping from the header values that {@code header} returns by name (null when absent). */
    public static RetryBookkeeping read(Function<String, byte[]> header) {
        Long attempts = number(text(header, RetryHeaders.ATTEMPTS));
        Long partition = number(text(header, RetryHeaders.SOURCE_PARTITION));
        return new RetryBookkeeping(
                attempts == null || attempts > Integer.MAX_VALUE ? null : attempts.intValue(),
                instant(text(header, RetryHeaders.DUE_TIME)),
                instant(text(header, RetryHeaders.FIRST_FAILURE_TIME)),
                instant(text(header, RetryHeaders.LAST_FAILURE_TIME)),
                text(header, RetryHeaders.SOURCE_TOPIC),
                partition == null || partition > Integer.MAX_VALUE ? null : partition.intValue(),
                number(text(header, RetryHeaders.SOURCE_OFFSET)),
                number(text(header, RetryHeaders.SOURCE_TIMESTAMP)),
                text(header, RetryHeaders.SOURCE_TIMESTAMP_TYPE),
                text(header, RetryHeaders.EXCEPTION_CLASS),
                text(header, RetryHeaders.EXCEPTION_MESSAGE));
    }

    private static void put(Map<String, byte[]> headers, String name, Object value) {
        if (value != null) {
            headers.put(name, value.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static Long epochMillis(Instant time) {
        return time == null ? null : time.toEpochMilli();
    }

    private static String text(Function<String, byte[]> header, String name) {
        byte[] value = header.apply(name);
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    /** Parses a non-negative decimal; anything else counts as missing. */
    private static Long number(String text) {
        try {
            Long value = text == null ? null : Long.valueOf(text.trim());
            return value == null || value < 0 ? null : value;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Instant instant(String text) {
        Long millis = number(text);
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }
}
