package io.cameldlq.retry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.cameldlq.deadletter.DeadLetterHeaders;
import io.cameldlq.deadletter.FailedAttemptRecorder;

class RetryRecordUnwrapperTest {

    private static final RetryBookkeeping BOOKKEEPING = new RetryBookkeeping(2, Instant.ofEpochMilli(9_000),
            Instant.ofEpochMilli(1_000), Instant.ofEpochMilli(8_000), "tasks", 2, 17L, 500L, "LogAppendTime",
            "java.lang.IllegalStateException", "boom");

    private final CamelContext context = new DefaultCamelContext();

    @AfterEach
    void closeContext() throws Exception {
        context.close();
    }

    @Test
    void messageBecomesSourceRecord() {
        Exchange exchange = retryRecordExchange();
        Headers consumed = exchange.getMessage().getHeader(KafkaConstants.HEADERS, Headers.class);

        new RetryRecordUnwrapper().process(exchange);

        Message message = exchange.getMessage();
        assertEquals("tasks", message.getHeader(KafkaConstants.TOPIC));
        assertEquals(2, message.getHeader(KafkaConstants.PARTITION));
        assertEquals(17L, message.getHeader(KafkaConstants.OFFSET));
        assertEquals(500L, message.getHeader(KafkaConstants.TIMESTAMP));
        for (String name : message.getHeaders().keySet()) {
            assertEquals(false, RetryHeaders.isBookkeeping(name), name);
        }
        assertNull(message.getHeader(RetryHeaders.PREFIX.toUpperCase(Locale.ROOT) + "extra"));
        assertArrayEquals(utf8("kept"), message.getHeader("x-" + RetryHeaders.PREFIX, byte[].class));
        assertArrayEquals(utf8("t-1"), message.getHeader("trace-id", byte[].class));
        assertArrayEquals(utf8("LogAppendTime"),
                message.getHeader(DeadLetterHeaders.TIMESTAMP_TYPE_CARRIER, byte[].class));

        Headers restored = message.getHeader(KafkaConstants.HEADERS, Headers.class);
        assertEquals(List.of("trace-id", DeadLetterHeaders.ORIGINAL_OFFSET, DeadLetterHeaders.TIMESTAMP_TYPE_CARRIER),
                names(restored));
        assertArrayEquals(utf8("LogAppendTime"),
                restored.lastHeader(DeadLetterHeaders.TIMESTAMP_TYPE_CARRIER).value());
        // Camel's copy of the original message shares the consumed headers, so they stay as they were.
        assertNotNull(consumed.lastHeader(RetryHeaders.ATTEMPTS));
        assertArrayEquals(utf8("CreateTime"), consumed.lastHeader(DeadLetterHeaders.TIMESTAMP_TYPE_CARRIER).value());
    }

    @Test
    void createTimeSourceGetsNoTypeHeader() {
        RetryBookkeeping createTime = new RetryBookkeeping(1, Instant.ofEpochMilli(9_000),
                Instant.ofEpochMilli(1_000), Instant.ofEpochMilli(1_000), "tasks", 0, 4L, 500L, "CreateTime",
                "java.lang.IllegalStateException", "boom");
        Message message = new DefaultExchange(context).getMessage();

        RetryRecordUnwrapper.restoreSource(message, createTime);

        assertNull(message.getHeader(DeadLetterHeaders.TIMESTAMP_TYPE_CARRIER));
        assertNull(message.getHeader(KafkaConstants.HEADERS, Headers.class)
                .lastHeader(DeadLetterHeaders.TIMESTAMP_TYPE_CARRIER));
    }

    @Test
    void attemptCountAndTimesContinue() {
        Exchange exchange = retryRecordExchange();

        new RetryRecordUnwrapper().process(exchange);

        assertEquals(2, exchange.getProperty(FailedAttemptRecorder.ATTEMPTS_PROPERTY));
        assertEquals(Instant.ofEpochMilli(1_000), exchange.getProperty(FailedAttemptRecorder.FIRST_FAILURE_PROPERTY));
        assertEquals(Instant.ofEpochMilli(8_000), exchange.getProperty(FailedAttemptRecorder.LAST_FAILURE_PROPERTY));
        assertEquals(BOOKKEEPING, exchange.getProperty(RetryRecordUnwrapper.BOOKKEEPING_PROPERTY));
    }

    @Test
    void recordWithoutBookkeepingCountsOneAttempt() {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setHeader(KafkaConstants.TOPIC, "tasks-retry");
        exchange.getMessage().setHeader(KafkaConstants.OFFSET, 3L);

        new RetryRecordUnwrapper().process(exchange);

        assertEquals(1, exchange.getProperty(FailedAttemptRecorder.ATTEMPTS_PROPERTY));
        assertNull(exchange.getProperty(FailedAttemptRecorder.FIRST_FAILURE_PROPERTY));
        assertEquals("tasks-retry", exchange.getMessage().getHeader(KafkaConstants.TOPIC));
        assertEquals(3L, exchange.getMessage().getHeader(KafkaConstants.OFFSET));
    }

    /** Returns an exchange as camel-kafka creates it for a record of the retry topic. */
    private Exchange retryRecordExchange() {
        RecordHeaders consumed = new RecordHeaders();
        consumed.add("trace-id", utf8("t-1"));
        consumed.add(DeadLetterHeaders.ORIGINAL_OFFSET, utf8("99"));
        BOOKKEEPING.toHeaders().forEach(consumed::add);
        consumed.add(DeadLetterHeaders.TIMESTAMP_TYPE_CARRIER, utf8("CreateTime"));

        Exchange exchange = new DefaultExchange(context);
        Message message = exchange.getMessage();
        for (Header header : consumed) {
            message.setHeader(header.key(), header.value());
        }
        // Camel header names ignore case. A name that contains the prefix later on is not bookkeeping.
        message.setHeader(RetryHeaders.PREFIX.toUpperCase(Locale.ROOT) + "extra", utf8("removed"));
        message.setHeader("x-" + RetryHeaders.PREFIX, utf8("kept"));
        message.setHeader(KafkaConstants.HEADERS, consumed);
        message.setHeader(KafkaConstants.TOPIC, "tasks-retry");
        message.setHeader(KafkaConstants.PARTITION, 0);
        message.setHeader(KafkaConstants.OFFSET, 4L);
        message.setHeader(KafkaConstants.TIMESTAMP, 9_999L);
        return exchange;
    }

    private static List<String> names(Headers headers) {
        List<String> names = new ArrayList<>();
        headers.forEach(header -> names.add(header.key()));
        return names;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
