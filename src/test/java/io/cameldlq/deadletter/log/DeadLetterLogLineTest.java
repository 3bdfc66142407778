package io.cameldlq.deadletter.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cameldlq.deadletter.DeadLetterHeaders;

class DeadLetterLogLineTest {

    private static final Instant LOGGED_AT = Instant.parse("2026-12-04T10:15:30.123Z");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-04T10:15:30.123456789Z"), ZoneOffset.UTC);

    private CamelContext context;

    @BeforeEach
    void createContext() {
        context = new DefaultCamelContext();
    }

    @AfterEach
    void closeContext() throws Exception {
        context.close();
    }

    @Test
    void formatWritesExpectedLine() {
        DeadLetterLogLine line = new DeadLetterLogLine(LOGGED_AT, "task-processing", 1, 42L, 3,
                utf8("order-7"), utf8("fail"), "io.cameldlq.task.TaskFailedException: boom");

        assertEquals("2026-12-04T10:15:30.123Z topic=task-processing partition=1 offset=42 attempts=3"
                + " key=\"order-7\" value=\"fail\" error=\"io.cameldlq.task.TaskFailedException: boom\"\n",
                line.format());
    }

    @Test
    void formatEndsWithSingleNewline() {
        DeadLetterLogLine line = new DeadLetterLogLine(LOGGED_AT, "task-processing", 1, 42L, 3,
                utf8("key\r\n"), utf8("first\nsecond\u2028third\u2029"), "java.lang.IllegalStateException: a\nb");

        String formatted = line.format();

        assertTrue(formatted.endsWith("\n"), formatted);
        assertEquals(formatted.length() - 1, formatted.indexOf('\n'), formatted);
        assertFalse(formatted.contains("\r"), formatted);
        assertFalse(formatted.contains("\u2028"), formatted);
        assertFalse(formatted.contains("\u2029"), formatted);
    }

    @Test
    void parseReturnsFormattedFields() {
        DeadLetterLogLine line = new DeadLetterLogLine(LOGGED_AT, "task-processing", 1, 42L, 3,
                utf8("order-7"), utf8("{\"task\": \"fail\"}"), "io.cameldlq.task.TaskFailedException: boom \"x\"");

        DeadLetterLogLine parsed = DeadLetterLogLine.parse(line.format());

        assertEquals(LOGGED_AT, parsed.loggedAt());
        assertEquals("task-processing", parsed.topic());
        assertEquals(1, parsed.partition());
        assertEquals(42L, parsed.offset());
        assertEquals(3, parsed.attempts());
        assertArrayEquals(utf8("order-7"), parsed.key());
        assertArrayEquals(utf8("{\"task\": \"fail\"}"), parsed.value());
        assertEquals("io.cameldlq.task.TaskFailedException: boom \"x\"", parsed.error());
    }

    @Test
    void parseAcceptsLineWithoutNewline() {
        String formatted = new DeadLetterLogLine(LOGGED_AT, "t", 0, 0L, 1, utf8("k"), utf8("v"), null).format();

        DeadLetterLogLine parsed = DeadLetterLogLine.parse(formatted.substring(0, formatted.length() - 1));

        assertEquals("t", parsed.topic());
        assertArrayEquals(utf8("v"), parsed.value());
    }

    @Test
    void parseKeepsNegativeCoordinates() {
        DeadLetterLogLine line = new DeadLetterLogLine(LOGGED_AT, "t", -1, -1L, null, null, null, null);

        DeadLetterLogLine parsed = DeadLetterLogLine.parse(line.format());

        assertEquals(-1, parsed.partition());
        assertEquals(-1L, parsed.offset());
    }

    @Test
    void optionalFieldsAreOmittedWhenNull() {
        DeadLetterLogLine line = new DeadLetterLogLine(LOGGED_AT, "t", 0, 5L, null, utf8("k"), utf8("v"), null);

        String formatted = line.format();
        DeadLetterLogLine parsed = DeadLetterLogLine.parse(formatted);

        assertFalse(formatted.contains("attempts="), formatted);
        assertFalse(formatted.contains("error="), formatted);
        assertNull(parsed.attempts());
        assertNull(parsed.error());
    }

    @Test
    void nullKeyAndValueWrittenAsNull() {
        DeadLetterLogLine line = new DeadLetterLogLine(LOGGED_AT, "t", 0, 5L, 1, null, null, null);

        String formatted = line.format();
        DeadLetterLogLine parsed = DeadLetterLogLine.parse(formatted);

        assertTrue(formatted.contains(" key=null "), formatted);
        assertTrue(formatted.endsWith(" value=null\n"), formatted);
        assertNull(parsed.key());
        assertNull(parsed.value());
    }

    @Test
    void emptyKeyAndValueParseAsEmpty() {
        DeadLetterLogLine line = new DeadLetterLogLine(LOGGED_AT, "t", 0, 5L, 1, new byte[0], new byte[0], null);

        String formatted = line.format();
        DeadLetterLogLine parsed = DeadLetterLogLine.parse(formatted);

        assertTrue(formatted.contains(" key=\"\" "), formatted);
        assertTrue(formatted.endsWith(" value=\"\"\n"), formatted);
        assertArrayEquals(new byte[0], parsed.key());
        assertArrayEquals(new byte[0], parsed.value());
    }

    @Test
    void quotedNullTextIsNotNull() {
        DeadLetterLogLine line = new DeadLetterLogLine(LOGGED_AT, "t", 0, 5L, 1, utf8("null"), utf8("null"), null);

        DeadLetterLogLine parsed = DeadLetterLogLine.parse(line.format());

        assertArrayEquals(utf8("null"), parsed.key());
        assertArrayEquals(utf8("null"), parsed.value());
    }

    @Test
    void multiLineInvalidValueStaysOnOneLine() {
        byte[] value = {'a', '\n', 'b', '\r', '\n', (byte) 0xff, (byte) 0xc0, (byte) 0xaf, '"', '\\', 'c', '\n'};
        DeadLetterLogLine line = new DeadLetterLogLine(LOGGED_AT, "t", 0, 5L, 1, utf8("k"), value, null);

        String formatted = line.format();
        DeadLetterLogLine parsed = DeadLetterLogLine.parse(formatted);

        assertEquals(formatted.length() - 1, formatted.indexOf('\n'), formatted);
        assertFalse(formatted.contains("\r"), formatted);
        assertArrayEquals(value, parsed.value());
    }

    @Test
    void valueLookingLikeFieldsRoundTrips() {
        byte[] value = utf8("x\" error=\"fake\" key=\"y");
        DeadLetterLogLine line = new DeadLetterLogLine(LOGGED_AT, "t", 0, 5L, 1, utf8("k"), value, null);

        DeadLetterLogLine parsed = DeadLetterLogLine.parse(line.format());

        assertArrayEquals(value, parsed.value());
        assertNull(parsed.error());
    }

    @Test
    void multiLineErrorRoundTrips() {
        String error = "java.lang.IllegalStateException: line one\nline two\twith \"quotes\" and \\";
        DeadLetterLogLine line = new DeadLetterLogLine(LOGGED_AT, "t", 0, 5L, 1, null, null, error);

        DeadLetterLogLine parsed = DeadLetterLogLine.parse(line.format());

        assertEquals(error, parsed.error());
    }

    @Test
    void parseRejectsGarbage() {
        assertThrows(IllegalArgumentException.class, () -> DeadLetterLogLine.parse(""));
        assertThrows(IllegalArgumentException.class, () -> DeadLetterLogLine.parse("\n"));
        assertThrows(IllegalArgumentException.class, () -> DeadLetterLogLine.parse("not a log line"));
        assertThrows(IllegalArgumentException.class,
                () -> DeadLetterLogLine.parse("2026-12-04T10:15:30.123Z topic=t partition=0 offset=5 key=null"));
        assertThrows(IllegalArgumentException.class,
                () -> DeadLetterLogLine.parse("2026-12-04T10:15:30.123Z topic=t partition=x offset=5 key=null"
                        + " value=null"));
        assertThrows(IllegalArgumentException.class,
                () -> DeadLetterLogLine.parse("2026-12-04T10:15:30.123Z topic=t partition=0 offset=5 key=k"
                        + " value=null"));
        assertThrows(IllegalArgumentException.class,
                () -> DeadLetterLogLine.parse("2026-12-04T10:15:30.123Z topic=t partition=0 offset=5 key=null"
                        + " value=\"open"));
        assertThrows(IllegalArgumentException.class,
                () -> DeadLetterLogLine.parse("2026-12-04T10:15:30.123Z topic=t partition=0 offset=5 key=null"
                        + " value=null\n\n"));
    }

    @Test
    void parseRejectsUnknownEscapeInValue() {
        assertThrows(IllegalArgumentException.class,
                () -> DeadLetterLogLine.parse("2026-12-04T10:15:30.123Z topic=t partition=0 offset=5 key=null"
                        + " value=\"\\q\""));
    }

    @Test
    void parseRejectsPartitionOutOfRange() {
        assertThrows(IllegalArgumentException.class,
                () -> DeadLetterLogLine.parse("2026-12-04T10:15:30.123Z topic=t partition=99999999999 offset=5"
                        + " key=null value=null"));
    }

    @Test
    void parseRejectsInvalidTimestamp() {
        assertThrows(IllegalArgumentException.class,
                () -> DeadLetterLogLine.parse("yesterday topic=t partition=0 offset=5 key=null value=null"));
    }

    @Test
    void oddTopicIsEscaped() {
        DeadLetterLogLine line = new DeadLetterLogLine(LOGGED_AT, "odd topic\nname", 2, 9L, 1,
                utf8("k"), utf8("v"), null);

        String formatted = line.format();
        DeadLetterLogLine parsed = DeadLetterLogLine.parse(formatted);

        assertEquals(formatted.length() - 1, formatted.indexOf('\n'), formatted);
        assertTrue(formatted.contains(" topic=odd_topic\\nname "), formatted);
        assertEquals("odd_topic\\nname", parsed.topic());
        assertEquals(2, parsed.partition());
        assertEquals(9L, parsed.offset());
        assertArrayEquals(utf8("v"), parsed.value());
    }

    @Test
    void topicWithQuoteAndEqualsParses() {
        DeadLetterLogLine line = new DeadLetterLogLine(LOGGED_AT, "a\"b key=c", 2, 9L, 1, utf8("k"), utf8("v"), null);

        DeadLetterLogLine parsed = DeadLetterLogLine.parse(line.format());

        assertEquals(2, parsed.partition());
        assertArrayEquals(utf8("k"), parsed.key());
        assertArrayEquals(utf8("v"), parsed.value());
    }

    @Test
    void nullTopicWrittenAsUnknown() {
        DeadLetterLogLine line = new DeadLetterLogLine(LOGGED_AT, null, -1, -1L, null, null, utf8("v"), null);

        String formatted = line.format();

        assertTrue(formatted.contains(" topic=unknown "), formatted);
        assertEquals("unknown", DeadLetterLogLine.parse(formatted).topic());
    }

    @Test
    void emptyTopicLineParses() {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setHeader(DeadLetterHeaders.ORIGINAL_TOPIC, new byte[0]);
        exchange.getMessage().setHeader(DeadLetterHeaders.ORIGINAL_PARTITION, utf8("0"));
        exchange.getMessage().setHeader(DeadLetterHeaders.ORIGINAL_OFFSET, utf8("5"));
        DeadLetterLogLine line = DeadLetterLogLine.of(exchange, CLOCK);

        assertDoesNotThrow(() -> DeadLetterLogLine.parse(line.format()));
    }

    @Test
    void invalidReasonIsLeftOut() {
        for (String reason : new String[] {"retries exhausted", "x key=\"y\"", "Retries-Exhausted", ""}) {
            Exchange exchange = new DefaultExchange(context);
            exchange.getMessage().setHeader(KafkaConstants.TOPIC, "dead-letter-task-processing");
            exchange.getMessage().setHeader(DeadLetterHeaders.REASON, utf8(reason));

            DeadLetterLogLine line = DeadLetterLogLine.of(exchange, CLOCK);

            assertNull(line.reason(), reason);
            assertFalse(line.format().contains("reason="), line.format());
        }
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setHeader(DeadLetterHeaders.REASON, utf8("not-retryable"));
        assertEquals("not-retryable", DeadLetterLogLine.of(exchange, CLOCK).reason());
    }

    @Test
    void negativeAttemptsLineParses() {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setHeader(KafkaConstants.TOPIC, "dead-letter-task-processing");
        exchange.getMessage().setHeader(DeadLetterHeaders.ATTEMPTS, utf8("-1"));
        DeadLetterLogLine line = DeadLetterLogLine.of(exchange, CLOCK);

        assertDoesNotThrow(() -> DeadLetterLogLine.parse(line.format()));
    }

    @Test
    void ofUsesDeadLetterHeaders() {
        Exchange exchange = new DefaultExchange(context);
        Message message = exchange.getMessage();
        message.setHeader(DeadLetterHeaders.ORIGINAL_TOPIC, utf8("task-processing"));
        message.setHeader(DeadLetterHeaders.ORIGINAL_PARTITION, utf8("1"));
        message.setHeader(DeadLetterHeaders.ORIGINAL_OFFSET, utf8("42"));
        message.setHeader(DeadLetterHeaders.ATTEMPTS, utf8("3"));
        message.setHeader(DeadLetterHeaders.EXCEPTION_CLASS, utf8("io.cameldlq.task.TaskFailedException"));
        message.setHeader(DeadLetterHeaders.EXCEPTION_MESSAGE, utf8("boom: é"));
        // The dead-letter record's own coordinates, which the dead-letter headers take precedence over.
        message.setHeader(KafkaConstants.TOPIC, "dead-letter-task-processing");
        message.setHeader(KafkaConstants.PARTITION, 0);
        message.setHeader(KafkaConstants.OFFSET, 7L);
        message.setHeader(KafkaConstants.KEY, utf8("order-7"));
        message.setBody(utf8("fail"));

        DeadLetterLogLine line = DeadLetterLogLine.of(exchange, CLOCK);

        assertEquals(LOGGED_AT, line.loggedAt());
        assertEquals("task-processing", line.topic());
        assertEquals(1, line.partition());
        assertEquals(42L, line.offset());
        assertEquals(3, line.attempts());
        assertArrayEquals(utf8("order-7"), line.key());
        assertArrayEquals(utf8("fail"), line.value());
        assertEquals("io.cameldlq.task.TaskFailedException: boom: é", line.error());
    }

    @Test
    void ofFallsBackToRecordCoordinates() {
        Exchange exchange = new DefaultExchange(context);
        Message message = exchange.getMessage();
        message.setHeader(KafkaConstants.TOPIC, "dead-letter-task-processing");
        message.setHeader(KafkaConstants.PARTITION, 2);
        message.setHeader(KafkaConstants.OFFSET, 7L);
        message.setHeader(KafkaConstants.KEY, utf8("order-8"));
        message.setBody(utf8("published by another producer"));

        DeadLetterLogLine line = DeadLetterLogLine.of(exchange, CLOCK);

        assertEquals("dead-letter-task-processing", line.topic());
        assertEquals(2, line.partition());
        assertEquals(7L, line.offset());
        assertNull(line.attempts());
        assertNull(line.error());
        assertArrayEquals(utf8("order-8"), line.key());
        assertArrayEquals(utf8("published by another producer"), line.value());
    }

    @Test
    void ofFallsBackWhenOriginalOffsetMissing() {
        Exchange exchange = new DefaultExchange(context);
        Message message = exchange.getMessage();
        message.setHeader(DeadLetterHeaders.ORIGINAL_TOPIC, utf8("task-processing"));
        message.setHeader(DeadLetterHeaders.ORIGINAL_PARTITION, utf8("1"));
        message.setHeader(KafkaConstants.TOPIC, "dead-letter-task-processing");
        message.setHeader(KafkaConstants.PARTITION, 2);
        message.setHeader(KafkaConstants.OFFSET, 7L);

        DeadLetterLogLine line = DeadLetterLogLine.of(exchange, CLOCK);

        assertEquals("dead-letter-task-processing", line.topic());
        assertEquals(2, line.partition());
        assertEquals(7L, line.offset());
    }

    @Test
    void ofFallsBackWhenOriginalOffsetInvalid() {
        Exchange exchange = new DefaultExchange(context);
        Message message = exchange.getMessage();
        message.setHeader(DeadLetterHeaders.ORIGINAL_TOPIC, utf8("task-processing"));
        message.setHeader(DeadLetterHeaders.ORIGINAL_PARTITION, utf8("1"));
        message.setHeader(DeadLetterHeaders.ORIGINAL_OFFSET, utf8("forty-two"));
        message.setHeader(DeadLetterHeaders.ATTEMPTS, utf8("three"));
        message.setHeader(KafkaConstants.TOPIC, "dead-letter-task-processing");
        message.setHeader(KafkaConstants.PARTITION, 2);
        message.setHeader(KafkaConstants.OFFSET, 7L);

        DeadLetterLogLine line = DeadLetterLogLine.of(exchange, CLOCK);

        assertEquals("dead-letter-task-processing", line.topic());
        assertEquals(2, line.partition());
        assertEquals(7L, line.offset());
        assertNull(line.attempts());
    }

    @Test
    void ofWithoutCoordinatesUsesPlaceholders() {
        Exchange exchange = new DefaultExchange(context);

        DeadLetterLogLine line = DeadLetterLogLine.of(exchange, CLOCK);

        assertNull(line.topic());
        assertEquals(-1, line.partition());
        assertEquals(-1L, line.offset());
        assertNull(line.key());
        assertNull(line.value());
        assertTrue(line.format().contains(" topic=unknown partition=-1 offset=-1 "), line.format());
    }

    @Test
    void ofTruncatesTimeToMillis() {
        Clock clock = Clock.fixed(Instant.parse("2026-12-04T10:15:30.999999999Z"), ZoneOffset.UTC);

        DeadLetterLogLine line = DeadLetterLogLine.of(new DefaultExchange(context), clock);

        assertEquals(Instant.parse("2026-12-04T10:15:30.999Z"), line.loggedAt());
        assertTrue(line.format().startsWith("2026-12-04T10:15:30.999Z "), line.format());
    }

    @Test
    void ofLineRoundTripsInvalidUtf8Value() {
        byte[] value = {'a', '\n', (byte) 0xff, (byte) 0xed, (byte) 0xa0, (byte) 0x80};
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setHeader(KafkaConstants.TOPIC, "dead-letter-task-processing");
        exchange.getMessage().setBody(value);

        DeadLetterLogLine parsed = DeadLetterLogLine.parse(DeadLetterLogLine.of(exchange, CLOCK).format());

        assertArrayEquals(value, parsed.value());
        assertEquals(LOGGED_AT, parsed.loggedAt());
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void parseHandlesTenMegabyteBinaryValue() {
        byte[] value = new byte[10 * 1024 * 1024];
        new java.util.Random(7).nextBytes(value);
        DeadLetterLogLine line = new DeadLetterLogLine(java.time.Instant.parse("2026-12-04T10:15:30.123Z"),
                "task-processing", 0, 1, 3, null, value, null);

        DeadLetterLogLine parsed = DeadLetterLogLine.parse(line.format());

        assertArrayEquals(value, parsed.value());
    }

    @Test
    void truncatedValueKeepsLength() {
        DeadLetterLogLine line = new DeadLetterLogLine(java.time.Instant.parse("2026-12-04T10:15:30.123Z"),
                "task-processing", 0, 1, 3, utf8("k"), utf8("0123456789"), null).limitedTo(4, false);

        DeadLetterLogLine parsed = DeadLetterLogLine.parse(line.format());

        assertArrayEquals(utf8("0123"), parsed.value());
        assertEquals(10, parsed.valueLength());
        assertTrue(line.format().contains(" value=\"0123\" value-length=10"), line.format());
    }

    @Test
    void redactedLineHasMetadataOnly() {
        DeadLetterLogLine line = new DeadLetterLogLine(java.time.Instant.parse("2026-12-04T10:15:30.123Z"),
                "task-processing", 0, 1, 3, utf8("secret-key"), utf8("secret value"), "E: m").limitedTo(4, true);

        String text = line.format();
        DeadLetterLogLine parsed = DeadLetterLogLine.parse(text);

        assertFalse(text.contains("secret"), text);
        assertTrue(text.contains(" key=<redacted> value=<redacted> value-length=12"), text);
        assertTrue(parsed.redacted());
        assertNull(parsed.value());
        assertEquals(12, parsed.valueLength());
        assertFalse(line.formatJson().contains("secret"), line.formatJson());
        assertTrue(DeadLetterLogLine.parse(line.formatJson()).redacted());
    }

    @Test
    void jsonRoundTripsEveryValueKind() {
        byte[][] values = {utf8("plain"), utf8("two\nlines\u2028more"), new byte[0], null,
                {(byte) 0xff, 0, (byte) 0xc3, '\n'}};
        for (byte[] value : values) {
            DeadLetterLogLine line = new DeadLetterLogLine(java.time.Instant.parse("2026-12-04T10:15:30.123Z"),
                    "task-processing", 2, 42, 3, value, value, "E: \"quoted\"", "retries-exhausted", null, false);

            String json = line.formatJson();
            DeadLetterLogLine parsed = DeadLetterLogLine.parse(json);

            assertEquals(1, json.split("\n", -1).length - 1, json);
            assertFalse(json.contains("\u2028"), json);
            assertArrayEquals(value, parsed.value());
            assertArrayEquals(value, parsed.key());
            assertEquals(42, parsed.offset());
            assertEquals(2, parsed.partition());
            assertEquals("retries-exhausted", parsed.reason());
            assertEquals("E: \"quoted\"", parsed.error());
        }
    }

    @Test
    void jsonMarksBinaryAsBase64() {
        DeadLetterLogLine line = new DeadLetterLogLine(java.time.Instant.parse("2026-12-04T10:15:30.123Z"),
                "task-processing", 0, 1, null, null, new byte[] {(byte) 0xff}, null);

        String json = line.formatJson();

        // Jsoner escapes '/' as "\/", which JSON allows.
        assertTrue(json.contains("\"value\":\"\\/w==\""), json);
        assertTrue(json.contains("\"valueEncoding\":\"base64\""), json);
    }

    @Test
    void truncationKeepsWholeCharacters() {
        byte[] value = utf8("aääääää");
        DeadLetterLogLine line = new DeadLetterLogLine(java.time.Instant.parse("2026-12-04T10:15:30.123Z"),
                "task-processing", 0, 1, 3, null, value, null).limitedTo(10, false);

        assertArrayEquals(utf8("aääää"), line.value());
        assertEquals(value.length, line.valueLength());
        assertTrue(line.formatJson().contains("\"valueEncoding\":\"utf-8\""), line.formatJson());
    }
}
