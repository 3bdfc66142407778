package io.cameldlq.deadletter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class StackTraceHeaderTest {

    @Test
    void longTraceIsCutWithMarker() {
        Exception failure = new IllegalStateException("é".repeat(500), new RuntimeException("cause"));

        byte[] header = DeadLetterRecordPreparer.stackTrace(failure, 301);

        assertTrue(header.length <= 301, "length " + header.length);
        String text = new String(header, StandardCharsets.UTF_8);
        assertTrue(text.endsWith("\n... [truncated]"), text);
        assertTrue(text.startsWith("java.lang.IllegalStateException: é"), text);
        assertTrue(text.indexOf('\uFFFD') < 0, "a character was split");
    }

    @Test
    void shortTraceIsKept() {
        Exception failure = new IllegalStateException("short");
        failure.setStackTrace(new StackTraceElement[0]);

        byte[] header = DeadLetterRecordPreparer.stackTrace(failure, 4096);

        assertEquals("java.lang.IllegalStateException: short\n".replace("\n", System.lineSeparator()),
                new String(header, StandardCharsets.UTF_8));
    }
}
