package io.cameldlq.deadletter.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
        LoggedRecords records = checkedLog(file, "task-processing/1/2");

        // Another instance appends a complete line and starts a second one.
        Files.writeString(file, line(2) + line(3).substring(0, 20), StandardOpenOption.APPEND);

        assertTrue(records.contains("task-processing/1/2"));
        assertFalse(records.contains("task-processing/1/3"));
        Files.writeString(file, line(3).substring(20), StandardOpenOption.APPEND);
        assertTrue(records.contains("task-processing/1/3"));
    }

    @Test
    void ownLineIsNotReadBack() throws Exception {
        Path file = directory.resolve("log.txt");
        LoggedRecords records = checkedLog(file, "task-processing/1/2");

        String own = line(2);
        Files.writeString(file, own, StandardOpenOption.APPEND);
        records.add("task-processing/1/2", own.getBytes(StandardCharsets.UTF_8).length);

        assertEquals(Files.size(file), records.readPosition());
    }

    @Test
    void otherInstanceLineIsStillRead() throws Exception {
        Path file = directory.resolve("log.txt");
        LoggedRecords records = checkedLog(file, "task-processing/1/3");
        long before = records.readPosition();

        // Another instance appends its line between this instance's check and its write.
        String own = line(3);
        Files.writeString(file, line(2) + own, StandardOpenOption.APPEND);
        records.add("task-processing/1/3", own.getBytes(StandardCharsets.UTF_8).length);

        assertEquals(before, records.readPosition());
        assertTrue(records.contains("task-processing/1/2"));
        assertEquals(Files.size(file), records.readPosition());
    }

    @Test
    void newFileLineIsNotReadBack() throws Exception {
        Path file = directory.resolve("log.txt");
        LoggedRecords records = new LoggedRecords(file, 1 << 20, 100);
        assertFalse(records.contains("task-processing/1/1"));

        String own = line(1);
        Files.writeString(file, own);
        records.add("task-processing/1/1", own.getBytes(StandardCharsets.UTF_8).length);

        assertEquals(Files.size(file), records.readPosition());
        assertTrue(records.contains("task-processing/1/1"));
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

    /** Returns the records of a log with the line of offset 1, after the check for {@code key} before a write. */
    private static LoggedRecords checkedLog(Path file, String key) throws Exception {
        Files.writeString(file, line(1));
        LoggedRecords records = new LoggedRecords(file, 1 << 20, 100);
        assertFalse(records.contains(key));
        return records;
    }

    private static String line(long offset) {
        return new DeadLetterLogLine(Instant.parse("2026-12-04T10:15:30.123Z"), "task-processing", 1, offset, 3,
                "k".getBytes(StandardCharsets.UTF_8), "fail".getBytes(StandardCharsets.UTF_8), null).format();
    }
}
