package io.cameldlq.deadletter.log;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers which original records already have a line in the dead-letter log, so that a record that
 * reaches the log route twice is written once. A second delivery happens when the application stopped
 * after writing a line but before committing its offset, or after publishing a dead letter but before
 * committing the original record.
 *
 * <p>On first use it reads the coordinates of the lines in the last {@code tailBytes} of the file, and
 * removes a partial last line that an interrupted write left behind; that record is then written again,
 * because its offset was not committed. Later it reads the lines appended since, also by other instances
 * that share the file. It remembers at most {@code capacity} coordinates, the most recent ones, which
 * bounds the window in which a duplicate is recognised.
 */
public final class LoggedRecords {

    private static final Logger LOG = LoggerFactory.getLogger(LoggedRecords.class);

    private final Path file;
    private final long tailBytes;
    private final Map<String, Boolean> coordinates;
    private boolean loaded;
    private long readPosition;

    public LoggedRecords(Path file, long tailBytes, int capacity) {
        this.file = file;
        this.tailBytes = tailBytes;
        this.coordinates = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Returns the key that identifies the original record of {@code line}. */
    public static String keyOf(DeadLetterLogLine line) {
        return line.topic() + "/" + line.partition() + "/" + line.offset();
    }

    /**
     * Returns whether the log has a line for {@code key}. Before it returns false, it reads the lines appended
     * since its last read, so lines that another instance wrote to the same file count too.
     */
    public synchronized boolean contains(String key) {
        load();
        if (coordinates.containsKey(key)) {
            return true;
        }
        readNewLines();
        return coordinates.containsKey(key);
    }

    /** Records that the line for {@code key} was written. */
    public synchronized void add(String key) {
        load();
        coordinates.put(key, Boolean.TRUE);
    }

    /**
     * Records that the line for {@code key}, {@code lineBytes} long, was appended. When the file grew by
     * exactly that many bytes since the last read, the new bytes are this line, and the next check does not
     * read it back. Otherwise another instance appended too, and the next check reads both.
     */
    public synchronized void add(String key, long lineBytes) {
        add(key);
        try {
            if (Files.size(file) == readPosition + lineBytes) {
                readPosition += lineBytes;
            }
        } catch (IOException e) {
            // The next check reads the line back, or fails with the reason if the file cannot be read.
        }
    }

    /** Position up to which the file was read; for tests. */
    synchronized long readPosition() {
        return readPosition;
    }

    private void load() {
        if (loaded) {
            return;
        }
        if (Files.isRegularFile(file)) {
            try {
                removePartialLastLine();
                long length = Files.size(file);
                readPosition = Math.max(0, length - tailBytes);
                readLines(readPosition > 0);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the dead-letter log " + file, e);
            }
            LOG.info("Dead-letter log {}: {} logged records found in its last {} bytes", file, coordinates.size(),
                    Math.min(tailBytes, readPosition));
        }
        loaded = true;
    }

    private void readNewLines() {
        try {
            if (Files.isRegularFile(file) && Files.size(file) > readPosition) {
                readLines(false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the dead-letter log " + file, e);
        }
    }

    // NOTE: with a log file shared by several instances, a line that another instance is writing at this
    // moment in more than one write (lines over the 8 KB buffer of the file producer's writer) could be cut
    // here.
    private void removePartialLastLine() throws IOException {
        try (RandomAccessFile access = new RandomAccessFile(file.toFile(), "rw")) {
            long length = access.length();
            long end = length;
            while (end > 0) {
                access.seek(end - 1);
                if (access.read() == '\n') {
                    break;
                }
                end--;
            }
            if (end < length) {
                access.setLength(end);
                LOG.warn("Removed a partial line of {} bytes at the end of the dead-letter log {}, left by an "
                        + "interrupted write; its record is written again", length - end, file);
            }
        }
    }

    /**
     * Reads the complete lines from {@code readPosition} on and moves it past them. With
     * {@code startsMidLine} the text up to the first line break is skipped, because it is the end of a line
     * that started before the position.
     */
    private void readLines(boolean startsMidLine) throws IOException {
        byte[] bytes;
        try (RandomAccessFile access = new RandomAccessFile(file.toFile(), "r")) {
            bytes = new byte[(int) Math.min(access.length() - readPosition, Integer.MAX_VALUE - 8)];
            access.seek(readPosition);
            access.readFully(bytes);
        }
        int lineStart = 0;
        if (startsMidLine) {
            while (lineStart < bytes.length && bytes[lineStart] != '\n') {
                lineStart++;
            }
            lineStart++;
        }
        for (int i = lineStart; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                remember(new String(bytes, lineStart, i - lineStart, StandardCharsets.UTF_8));
                lineStart = i + 1;
            }
        }
        // A line still being written by another instance is read on the next call.
        readPosition += Math.min(lineStart, bytes.length);
    }

    private void remember(String line) {
        try {
            coordinates.put(keyOf(DeadLetterLogLine.parse(line)), Boolean.TRUE);
        } catch (IllegalArgumentException e) {
            // A line written by someone else, e.g. a comment; it identifies no record.
        }
    }
}
