package io.cameldlq.deadletter.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoggedRecordsTest {

    @TempDir
    Path directory;

    @Test
    void existingLinesCountAsLogged() throws Exception {
        Path file = directory.resolve("log.txt");
        Files.writeString(file, "# written by hand\n" + line(7) + line(8));

        LoggedRecords records = new LoggedRecords(file, 1 << 20, 100);

        assertTrue(records.contains("task-processing/1/7"));
        assertTrue(records.contains("task-processing/1/8"));
        assertFalse(records.contains("task-processing/1/9"));
    }

    @Test
    void partialLastLineIsRemoved() throws Exception {
        Path file = directory.resolve("log.txt");
        String complete = line(7);
        Files.writeString(file, complete + line(8).substring(0, 30));

        LoggedRecords records = new LoggedRecords(file, 1 << 20, 100);

        assertFalse(records.contains("task-processing/1/8"));
        assertEquals(complete, Files.readString(file, StandardCharsets.UTF_8));
    }

    @Test
    void tailStartsAtLineBoundary() throws Exception {
        Path file = directory.resolve("log.txt");
        String first = line(1);
        Files.writeString(file, first + line(2));

        LoggedRecords records = new LoggedRecords(file, line(2).length() + 5, 100);

        assertFalse(records.contains("task-processing/1/1"), "cut first line of the tail was parsed");
        assertTrue(records.contains("task-processing/1/2"));
    }

    @Test
    void linesAppendedLaterAreSeen() throws Exception {
        Path file = directory.resolve("log.txt");
        Files.writeString(file, line(1));
        LoggedRecords records = new LoggedRecords(file, 1 << 20, 100);
        assertFalse(records.contains("task-processing/1/2"));

        // Another instance appends a complete line and starts a second one.
        Files.writeString(file, line(2) + line(3).substring(0, 20), java.nio.file.StandardOpenOption.APPEND);

        assertTrue(records.contains("task-processing/1/2"));
        assertFalse(records.contains("task-processing/1/3"));
        Files.writeString(file, line(3).substring(20), java.nio.file.StandardOpenOption.APPEND);
        assertTrue(records.contains("task-processing/1/3"));
    }

    @Test
    void capacityKeepsNewest() {
        LoggedRecords records = new LoggedRecords(directory.resolve("missing.txt"), 1 << 20, 2);

        records.add("a");
        records.add("b");
        records.add("c");

        assertFalse(records.contains("a"));
        assertTrue(records.contains("b"));
        assertTrue(records.contains("c"));
    }

    private static String line(long offset) {
        return new DeadLetterLogLine(Instant.parse("2026-12-04T10:15:30.123Z"), "task-processing", 1, offset, 3,
                "k".getBytes(StandardCharsets.UTF_8), "fail".getBytes(StandardCharsets.UTF_8), null).format();
    }
}
