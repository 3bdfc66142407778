package io.cameldlq.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cameldlq.config.RetryPolicy;
import io.cameldlq.deadletter.DeadLetterHeaders;

class RetryBookkeepingTest {

    private static final RetryBookkeeping FULL = new RetryBookkeeping(2, Instant.ofEpochMilli(1_700_000_003_000L),
            Instant.ofEpochMilli(1_700_000_000_123L), Instant.ofEpochMilli(1_700_000_002_000L), "tasks", 1, 42L,
            1_699_999_999_999L, "CreateTime", "io.cameldlq.task.TaskFailedException", "Task value 'fail' – äö");

    @Test
    void headersRoundTrip() {
        Map<String, byte[]> headers = FULL.toHeaders();

        assertEquals(FULL, RetryBookkeeping.read(headers::get));
    }

    @Test
    void timesAreEpochMillisecondsText() {
        Map<String, byte[]> headers = FULL.toHeaders();

        assertEquals("1700000003000", text(headers, RetryHeaders.DUE_TIME));
        assertEquals("1700000000123", text(headers, RetryHeaders.FIRST_FAILURE_TIME));
        assertEquals("1700000002000", text(headers, RetryHeaders.LAST_FAILURE_TIME));
        assertEquals("2", text(headers, RetryHeaders.ATTEMPTS));
        assertEquals("42", text(headers, RetryHeaders.SOURCE_OFFSET));
    }

    @Test
    void everyHeaderIsReservedBookkeeping() {
        for (String name : FULL.toHeaders().keySet()) {
            assertTrue(RetryHeaders.isBookkeeping(name), name);
            assertTrue(DeadLetterHeaders.isReserved(name), name);
        }
        assertEquals(11, FULL.toHeaders().size());
    }

    @Test
    void nullValuesAreLeftOut() {
        RetryBookkeeping partial = new RetryBookkeeping(1, Instant.ofEpochMilli(5), null, null, "tasks", null, null,
                null, null, null, null);

        Map<String, byte[]> headers = partial.toHeaders();

        assertEquals(List.of(RetryHeaders.ATTEMPTS, RetryHeaders.DUE_TIME, RetryHeaders.SOURCE_TOPIC),
                List.copyOf(headers.keySet()));
        assertEquals(partial, RetryBookkeeping.read(headers::get));
    }

    @Test
    void missingOrMalformedValuesReadAsNull() {
        Map<String, byte[]> headers = new HashMap<>();
        headers.put(RetryHeaders.ATTEMPTS, utf8("two"));
        headers.put(RetryHeaders.DUE_TIME, utf8("-5"));
        headers.put(RetryHeaders.SOURCE_PARTITION, utf8("99999999999"));
        headers.put(RetryHeaders.SOURCE_OFFSET, utf8(" 7 "));

        RetryBookkeeping read = RetryBookkeeping.read(headers::get);

        assertNull(read.attempts());
        assertNull(read.dueTime());
        assertNull(read.sourcePartition());
        assertEquals(7L, read.sourceOffset());
        assertNull(read.sourceTopic());
        assertNull(read.firstFailure());
    }

    @Test
    void dueTimeAddsPolicyPauseWithBackoff() {
        RetryPolicy policy = new RetryPolicy(3, 100, 3.0, 500, 0, List.of());
        Instant lastFailure = Instant.ofEpochMilli(10_000);

        assertEquals(Instant.ofEpochMilli(10_100), RetryBookkeeping.dueTime(lastFailure, policy, 1));
        assertEquals(Instant.ofEpochMilli(10_300), RetryBookkeeping.dueTime(lastFailure, policy, 2));
        assertEquals(Instant.ofEpochMilli(10_500), RetryBookkeeping.dueTime(lastFailure, policy, 3));
    }

    @Test
    void dueTimeStaysWithinJitter() {
        RetryPolicy policy = new RetryPolicy(2, 1000, 1.0, 60_000, 0.2, List.of());
        Instant lastFailure = Instant.ofEpochMilli(0);

        boolean varied = false;
        long first = RetryBookkeeping.dueTime(lastFailure, policy, 1).toEpochMilli();
        for (int i = 0; i < 200; i++) {
            long due = RetryBookkeeping.dueTime(lastFailure, policy, 1).toEpochMilli();
            assertTrue(due >= 800, "due at " + due);
            assertTrue(due <= 1200, "due at " + due);
            varied |= due != first;
        }
        assertTrue(varied, "jitter never changed the due time");
    }

    private static String text(Map<String, byte[]> headers, String name) {
        return new String(headers.get(name), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
