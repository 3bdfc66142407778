package io.cameldlq.retry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.cameldlq.config.RetryPolicy;
import io.cameldlq.deadletter.DeadLetterHeaders;
import io.cameldlq.deadletter.DeadLetterPartitions;
import io.cameldlq.deadletter.DeadLetterRecordPreparer;
import io.cameldlq.deadletter.FailedAttemptRecorder;
import io.cameldlq.deadletter.HeaderDialect;
import io.cameldlq.deadletter.OriginalHeaders;
import io.cameldlq.deadletter.RecordCoordinates;
import io.cameldlq.retry.RetryOrDeadLetterPreparer.Outcome;
import io.cameldlq.task.InvalidTaskException;
import io.cameldlq.task.TaskFailedException;

class RetryOrDeadLetterPreparerTest {

    private static final RetryPolicy POLICY = new RetryPolicy(2, 250, 2.0, 60_000, 0, List.of(InvalidTaskException.class));
    private static final Instant FIRST_FAILURE = Instant.ofEpochMilli(1_000);
    private static final Instant LAST_FAILURE = Instant.ofEpochMilli(2_000);

    private final CamelContext context = new DefaultCamelContext();
    private final RetryOrDeadLetterPreparer preparer = new RetryOrDeadLetterPreparer("tasks-retry", POLICY,
            new DeadLetterRecordPreparer("dead-tasks", "workers", "instance-1", 4096, POLICY, HeaderDialect.CAMEL_DLQ,
                    new DeadLetterPartitions()));

    @AfterEach
    void closeContext() throws Exception {
        context.close();
    }

    @Test
    void retryableFailureWithAttemptsLeftBecomesRetryRecord() {
        Exchange exchange = failedExchange(2, new TaskFailedException("boom"));

        preparer.process(exchange);

        assertEquals(Outcome.RETRY, exchange.getProperty(RetryOrDeadLetterPreparer.OUTCOME_PROPERTY));
        Message message = exchange.getMessage();
        assertArrayEquals(utf8("k"), message.getHeader(KafkaConstants.KEY, byte[].class));
        assertEquals(500L, message.getHeader(KafkaConstants.OVERRIDE_TIMESTAMP));
        assertNull(message.getHeader(KafkaConstants.TOPIC));
        assertNull(message.getHeader("kafka.OVERRIDE_TOPIC"));
        assertNull(message.getHeader(KafkaConstants.PARTITION_KEY));
        List<Header> originals = OriginalHeaders.decode(
                message.getHeader(DeadLetterHeaders.ORIGINAL_HEADERS_CARRIER, byte[].class));
        assertEquals("trace-id", originals.get(0).key());

        RetryBookkeeping bookkeeping = RetryBookkeeping.read(name -> message.getHeader(name, byte[].class));
        assertEquals(2, bookkeeping.attempts());
        // The second retry waits 250 ms × 2.
        assertEquals(LAST_FAILURE.plusMillis(500), bookkeeping.dueTime());
        assertEquals(FIRST_FAILURE, bookkeeping.firstFailure());
        assertEquals(LAST_FAILURE, bookkeeping.lastFailure());
        assertEquals("tasks", bookkeeping.sourceTopic());
        assertEquals(1, bookkeeping.sourcePartition());
        assertEquals(7L, bookkeeping.sourceOffset());
        assertEquals(500L, bookkeeping.sourceTimestamp());
        assertEquals("CreateTime", bookkeeping.sourceTimestampType());
        assertEquals(TaskFailedException.class.getName(), bookkeeping.exceptionClass());
        assertEquals("boom", bookkeeping.exceptionMessage());
        assertEquals(new RecordCoordinates("tasks", 1, 7L),
                exchange.getProperty(DeadLetterRecordPreparer.COORDINATES_PROPERTY));
    }

    @Test
    void lastAttemptBecomesDeadLetter() {
        Exchange exchange = failedExchange(3, new TaskFailedException("boom"));

        preparer.process(exchange);

        assertEquals(Outcome.DEAD_LETTER, exchange.getProperty(RetryOrDeadLetterPreparer.OUTCOME_PROPERTY));
        assertEquals("3", text(exchange, DeadLetterHeaders.ATTEMPTS));
        assertEquals(DeadLetterHeaders.REASON_RETRIES_EXHAUSTED, text(exchange, DeadLetterHeaders.REASON));
        assertNull(exchange.getMessage().getHeader(RetryHeaders.ATTEMPTS));
    }

    @Test
    void notRetryableFailureBecomesDeadLetter() {
        Exchange exchange = failedExchange(1, new IllegalStateException("wrapped", new InvalidTaskException("bad")));

        preparer.process(exchange);

        assertEquals(Outcome.DEAD_LETTER, exchange.getProperty(RetryOrDeadLetterPreparer.OUTCOME_PROPERTY));
        assertEquals(DeadLetterHeaders.REASON_NOT_RETRYABLE, text(exchange, DeadLetterHeaders.REASON));
    }

    @Test
    void stoppedWaitIsAbandoned() {
        Exchange exchange = failedExchange(1, new RetryWaitAbortedException(new RecordCoordinates("tasks", 1, 7L)));

        preparer.process(exchange);

        assertEquals(Outcome.ABANDON, exchange.getProperty(RetryOrDeadLetterPreparer.OUTCOME_PROPERTY));
        assertNull(exchange.getMessage().getHeader(RetryHeaders.ATTEMPTS));
        assertNull(exchange.getMessage().getHeader(DeadLetterHeaders.ATTEMPTS));
    }

    /** Returns an exchange of a source record after {@code attempts} failed attempts. */
    private Exchange failedExchange(int attempts, Exception failure) {
        RecordHeaders consumed = new RecordHeaders();
        consumed.add("trace-id", utf8("t-1"));
        consumed.add(DeadLetterHeaders.TIMESTAMP_TYPE_CARRIER, utf8("CreateTime"));

        Exchange exchange = new DefaultExchange(context);
        Message message = exchange.getMessage();
        message.setBody(utf8("fail"));
        message.setHeader(KafkaConstants.KEY, utf8("k"));
        message.setHeader(KafkaConstants.TOPIC, "tasks");
        message.setHeader(KafkaConstants.PARTITION, 1);
        message.setHeader(KafkaConstants.OFFSET, 7L);
        message.setHeader(KafkaConstants.TIMESTAMP, 500L);
        message.setHeader(KafkaConstants.HEADERS, consumed);
        message.setHeader("kafka.OVERRIDE_TOPIC", "elsewhere");
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, failure);
        exchange.setProperty(FailedAttemptRecorder.ATTEMPTS_PROPERTY, attempts);
        exchange.setProperty(FailedAttemptRecorder.FIRST_FAILURE_PROPERTY, FIRST_FAILURE);
        exchange.setProperty(FailedAttemptRecorder.LAST_FAILURE_PROPERTY, LAST_FAILURE);
        return exchange;
    }

    private static String text(Exchange exchange, String header) {
        byte[] value = exchange.getMessage().getHeader(header, byte[].class);
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
