package io.cameldlq.deadletter.log;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;

import io.cameldlq.deadletter.DeadLetterHeaders;

/**
 * One line of the dead-letter log, for one dead-letter record:
 *
 * <pre>
 * 2026-12-04T10:15:30.123Z topic=task-processing partition=1 offset=42 attempts=3 key="order-7" value="fail" error="io.cameldlq.task.TaskFailedException: ..."
 * </pre>
 *
 * <p>{@code topic}, {@code partition} and {@code offset} are the coordinates of the original record, taken
 * from the dead-letter headers; a record without them (published to the dead-letter topic by another
 * producer) is logged with its own coordinates. {@code key}, {@code value} and {@code error} are
 * {@link EscapedText}, so the line never breaks and {@link #parse} recovers the exact bytes; a null key or
 * value is written as {@code null} without quotes. The line ends with a single {@code \n}.
 *
 * @param loggedAt  when the line was written
 * @param topic     original topic
 * @param partition original partition
 * @param offset    original offset
 * @param attempts  processing attempts, or null when the record does not say
 * @param key       original key bytes, or null
 * @param value     original value bytes, or null
 * @param error     exception class and message of the last attempt, or null
 */
public record DeadLetterLogLine(
        Instant loggedAt, String topic, int partition, long offset, Integer attempts, byte[] key, byte[] value,
        String error) {

    private static final Pattern LINE = Pattern.compile(
            "(?<time>\\S+) topic=(?<topic>\\S+) partition=(?<partition>-?\\d+) offset=(?<offset>-?\\d+)"
                    + "(?: attempts=(?<attempts>\\d+))? key=(?<key>null|\"(?:[^\"\\\\]|\\\\.)*\")"
                    + " value=(?<value>null|\"(?:[^\"\\\\]|\\\\.)*\")(?: error=(?<error>\"(?:[^\"\\\\]|\\\\.)*\"))?");

    /** Builds the line for the dead-letter record on {@code exchange}, as consumed by camel-kafka. */
    public static DeadLetterLogLine of(Exchange exchange, Clock clock) {
        Message message = exchange.getMessage();
        String originalTopic = text(message, DeadLetterHeaders.ORIGINAL_TOPIC);
        Integer originalPartition = integer(text(message, DeadLetterHeaders.ORIGINAL_PARTITION));
        Long originalOffset = longValue(text(message, DeadLetterHeaders.ORIGINAL_OFFSET));

        String topic;
        int partition;
        long offset;
        if (originalTopic != null && originalPartition != null && originalOffset != null) {
            topic = originalTopic;
            partition = originalPartition;
            offset = originalOffset;
        } else {
            topic = message.getHeader(KafkaConstants.TOPIC, String.class);
            partition = message.getHeader(KafkaConstants.PARTITION, -1, Integer.class);
            offset = message.getHeader(KafkaConstants.OFFSET, -1L, Long.class);
        }

        String exceptionClass = text(message, DeadLetterHeaders.EXCEPTION_CLASS);
        String exceptionMessage = text(message, DeadLetterHeaders.EXCEPTION_MESSAGE);
        String error = exceptionClass == null ? null : exceptionClass + ": " + exceptionMessage;

        return new DeadLetterLogLine(Instant.now(clock).truncatedTo(ChronoUnit.MILLIS), topic, partition, offset,
                integer(text(message, DeadLetterHeaders.ATTEMPTS)),
                message.getHeader(KafkaConstants.KEY, byte[].class), message.getBody(byte[].class), error);
    }

    /** Returns the line with its trailing newline. */
    public String format() {
        StringBuilder line = new StringBuilder(128 + (value == null ? 0 : value.length));
        line.append(loggedAt)
                .append(" topic=").append(safeTopic(topic))
                .append(" partition=").append(partition)
                .append(" offset=").append(offset);
        if (attempts != null) {
            line.append(" attempts=").append(attempts);
        }
        line.append(" key=").append(quoted(key))
                .append(" value=").append(quoted(value));
        if (error != null) {
            line.append(" error=").append(quoted(error.getBytes(StandardCharsets.UTF_8)));
        }
        return line.append('\n').toString();
    }

    /**
     * Reads a line written by {@link #format}, with or without its trailing newline.
     *
     * @throws IllegalArgumentException if the line is not in that format
     */
    public static DeadLetterLogLine parse(String line) {
        String body = line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
        Matcher m = LINE.matcher(body);
        if (!m.matches()) {
            throw new IllegalArgumentException("Not a dead-letter log line: " + body);
        }
        String attempts = m.group("attempts");
        String error = m.group("error");
        Instant loggedAt;
        try {
            loggedAt = Instant.parse(m.group("time"));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("Invalid time in dead-letter log line: " + m.group("time"), e);
        }
        return new DeadLetterLogLine(loggedAt, m.group("topic"),
                Integer.parseInt(m.group("partition")), Long.parseLong(m.group("offset")),
                attempts == null ? null : Integer.valueOf(attempts),
                unquoted(m.group("key")), unquoted(m.group("value")),
                error == null ? null : new String(unquoted(error), StandardCharsets.UTF_8));
    }

    private static String quoted(byte[] bytes) {
        return bytes == null ? "null" : "\"" + EscapedText.escape(bytes) + "\"";
    }

    private static byte[] unquoted(String token) {
        return "null".equals(token) ? null : EscapedText.unescape(token.substring(1, token.length() - 1));
    }

    /** Kafka topic names are limited to letters, digits, '.', '_' and '-'; anything else is escaped. */
    private static String safeTopic(String topic) {
        if (topic != null && topic.matches("[A-Za-z0-9._-]+")) {
            return topic;
        }
        return topic == null || topic.isEmpty() ? "unknown" : EscapedText.escape(topic.getBytes(StandardCharsets.UTF_8))
                .replace(' ', '_');
    }

    private static String text(Message message, String header) {
        byte[] value = message.getHeader(header, byte[].class);
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    /** Parses a non-negative decimal header value; anything else counts as missing. */
    private static Integer integer(String text) {
        try {
            Integer value = text == null ? null : Integer.valueOf(text.trim());
            return value == null || value < 0 ? null : value;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long longValue(String text) {
        try {
            return text == null ? null : Long.valueOf(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
