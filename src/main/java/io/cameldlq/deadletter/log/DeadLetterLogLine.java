package io.cameldlq.deadletter.log;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;

import io.cameldlq.deadletter.Diagnostics;

/**
 * One line of the dead-letter log, for one dead-letter record:
 *
 * <pre>
 * 2026-12-04T10:15:30.123Z topic=task-processing partition=1 offset=42 attempts=3 reason=retries-exhausted key="order-7" value="fail" error="io.cameldlq.task.TaskFailedException: ..."
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
 * @param reason    why the record was dead-lettered, e.g. {@code retries-exhausted}, or null
 * @param valueLength length of the original value when {@code value} holds only its start or nothing
 *                  (truncated or redacted), else null
 * @param redacted  whether key and value were left out
 */
public record DeadLetterLogLine(
        Instant loggedAt, String topic, int partition, long offset, Integer attempts, byte[] key, byte[] value,
        String error, String reason, Integer valueLength, boolean redacted) {

    private static final String REDACTED = "<redacted>";

    /** A reason as camel-dlq writes it, e.g. {@code retries-exhausted}. */
    private static final Pattern REASON = Pattern.compile("[a-z-]+");

    /** A Kafka topic name: letters, digits, '.', '_' and '-'. */
    private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9._-]+");

    /** Returns the line without a reason, for lines of dead letters that carry none. */
    public DeadLetterLogLine(Instant loggedAt, String topic, int partition, long offset, Integer attempts, byte[] key,
            byte[] value, String error) {
        this(loggedAt, topic, partition, offset, attempts, key, value, error, null, null, false);
    }

    /**
     * Returns this line with key and value left out when {@code redact}, or else with a value longer than
     * {@code maxValueBytes} cut to its first {@code maxValueBytes} bytes, or a few less so that a valid
     * UTF-8 text is not cut inside a character. Either way {@code valueLength} keeps the original length.
     */
    public DeadLetterLogLine limitedTo(int maxValueBytes, boolean redact) {
        int length = value == null ? 0 : value.length;
        if (redact) {
            return new DeadLetterLogLine(loggedAt, topic, partition, offset, attempts, null, null, error, reason,
                    length, true);
        }
        if (value != null && value.length > maxValueBytes) {
            int cut = maxValueBytes;
            if (Utf8.isValid(value)) {
                // Text is not cut inside a character: step back to the first byte of its UTF-8 sequence.
                while (cut > 0 && (value[cut] & 0xC0) == 0x80) {
                    cut--;
                }
            }
            return new DeadLetterLogLine(loggedAt, topic, partition, offset, attempts, key,
                    Arrays.copyOf(value, cut), error, reason, length, false);
        }
        return this;
    }

    /**
     * Builds the line for the dead-letter record on {@code exchange}, as consumed by camel-kafka. Its
     * diagnostic headers may be in any {@link io.cameldlq.deadletter.HeaderDialect}.
     */
    public static DeadLetterLogLine of(Exchange exchange, Clock clock) {
        Message message = exchange.getMessage();
        Diagnostics diagnostics = Diagnostics.read(message);

        String topic;
        int partition;
        long offset;
        if (diagnostics.topic() != null && diagnostics.partition() != null && diagnostics.offset() != null) {
            topic = diagnostics.topic();
            partition = diagnostics.partition();
            offset = diagnostics.offset();
        } else {
            topic = message.getHeader(KafkaConstants.TOPIC, String.class);
            partition = message.getHeader(KafkaConstants.PARTITION, -1, Integer.class);
            offset = message.getHeader(KafkaConstants.OFFSET, -1L, Long.class);
        }
        String error = diagnostics.exceptionClass() == null ? null
                : diagnostics.exceptionClass() + ": " + diagnostics.exceptionMessage();
        String reason = diagnostics.reason() != null && REASON.matcher(diagnostics.reason()).matches()
                ? diagnostics.reason() : null;

        return new DeadLetterLogLine(Instant.now(clock).truncatedTo(ChronoUnit.MILLIS), topic, partition, offset,
                diagnostics.attempts(), message.getHeader(KafkaConstants.KEY, byte[].class),
                message.getBody(byte[].class), error, reason, null, false);
    }

    /** Returns the line as a JSON object on one line, with its trailing newline; see {@link JsonLogLines}. */
    public String formatJson() {
        return JsonLogLines.format(this);
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
        if (reason != null) {
            line.append(" reason=").append(reason);
        }
        line.append(" key=").append(redacted ? REDACTED : quoted(key))
                .append(" value=").append(redacted ? REDACTED : quoted(value));
        if (valueLength != null) {
            line.append(" value-length=").append(valueLength);
        }
        if (error != null) {
            line.append(" error=").append(quoted(error.getBytes(StandardCharsets.UTF_8)));
        }
        return line.append('\n').toString();
    }

    /**
     * Reads a line written by {@link #format}, with or without its trailing newline. It scans the line
     * once, without regular expressions, so lines of many megabytes parse in linear time.
     *
     * @throws IllegalArgumentException if the line is not in that format
     */
    public static DeadLetterLogLine parse(String line) {
        String body = line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
        if (body.startsWith("{")) {
            return JsonLogLines.parse(body);
        }
        try {
            Cursor cursor = new Cursor(body);
            Instant loggedAt = Instant.parse(cursor.word());
            String topic = cursor.field(" topic=", false);
            int partition = Integer.parseInt(cursor.field(" partition=", false));
            long offset = Long.parseLong(cursor.field(" offset=", false));
            Integer attempts = cursor.startsWith(" attempts=")
                    ? Integer.valueOf(cursor.field(" attempts=", false)) : null;
            String reason = cursor.startsWith(" reason=") ? cursor.field(" reason=", false) : null;
            String keyToken = cursor.field(" key=", true);
            String valueToken = cursor.field(" value=", true);
            boolean redacted = REDACTED.equals(keyToken) && REDACTED.equals(valueToken);
            byte[] key = redacted ? null : unquoted(keyToken);
            byte[] value = redacted ? null : unquoted(valueToken);
            Integer valueLength = cursor.startsWith(" value-length=")
                    ? Integer.valueOf(cursor.field(" value-length=", false)) : null;
            String error = null;
            if (cursor.startsWith(" error=")) {
                error = new String(unquoted(cursor.field(" error=", true)), StandardCharsets.UTF_8);
            }
            if (!cursor.atEnd() || attempts != null && attempts < 0) {
                throw new IllegalArgumentException("unexpected text at index " + cursor.position);
            }
            return new DeadLetterLogLine(loggedAt, topic, partition, offset, attempts, key, value, error, reason,
                    valueLength, redacted);
        } catch (DateTimeParseException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("Not a dead-letter log line (" + e.getMessage() + "): " + excerpt(body),
                    e);
        }
    }

    /** Reads the fields of a line from left to right. */
    private static final class Cursor {
        private final String text;
        private int position;

        Cursor(String text) {
            this.text = text;
        }

        boolean startsWith(String prefix) {
            return text.startsWith(prefix, position);
        }

        boolean atEnd() {
            return position == text.length();
        }

        /** Returns the text up to the next space or the end. */
        String word() {
            int end = text.indexOf(' ', position);
            end = end < 0 ? text.length() : end;
            if (end == position) {
                throw new IllegalArgumentException("empty field at index " + position);
            }
            String word = text.substring(position, end);
            position = end;
            return word;
        }

        /** Reads {@code prefix} and the value after it: a word, or with {@code quoted} {@code null} or a quoted text. */
        String field(String prefix, boolean quoted) {
            if (!startsWith(prefix)) {
                throw new IllegalArgumentException("expected '" + prefix.trim() + "' at index " + position);
            }
            position += prefix.length();
            if (quoted && text.startsWith(REDACTED, position)) {
                position += REDACTED.length();
                return REDACTED;
            }
            if (!quoted || text.startsWith("null", position) && !text.startsWith("null\"", position)
                    && (position + 4 == text.length() || text.charAt(position + 4) == ' ')) {
                return word();
            }
            if (text.charAt(position) != '"') {
                throw new IllegalArgumentException("expected a quoted value at index " + position);
            }
            int end = position + 1;
            while (text.charAt(end) != '"') {
                end += text.charAt(end) == '\\' ? 2 : 1;
            }
            String token = text.substring(position, end + 1);
            position = end + 1;
            return token;
        }
    }

    /** Returns the start of a rejected line for an error message, at most 200 characters. */
    static String excerpt(String line) {
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    private static String quoted(byte[] bytes) {
        return bytes == null ? "null" : "\"" + EscapedText.escape(bytes) + "\"";
    }

    private static byte[] unquoted(String token) {
        return "null".equals(token) ? null : EscapedText.unescape(token.substring(1, token.length() - 1));
    }

    /** Kafka topic names are limited to letters, digits, '.', '_' and '-'; anything else is escaped. */
    private static String safeTopic(String topic) {
        if (topic != null && TOPIC_NAME.matcher(topic).matches()) {
            return topic;
        }
        return topic == null || topic.isEmpty() ? "unknown" : EscapedText.escape(topic.getBytes(StandardCharsets.UTF_8))
                .replace(' ', '_');
    }
}
