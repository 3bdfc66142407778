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
 * because its offset was not committed. It remembers at most {@code capacity} coordinates, the most
 * recent ones, which bounds the window in which a duplicate is recognised.
 */
public final class LoggedRecords {

    private static final Logger LOG = LoggerFactory.getLogger(LoggedRecords.class);

    private final Path file;
    private final long tailBytes;
    private final Map<String, Boolean> coordinates;
    private boolean loaded;

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

    public synchronized boolean contains(String key) {
        load();
        return coordinates.containsKey(key);
    }

    /** Records that the line for {@code key} was written. */
    public synchronized void add(String key) {
        load();
        coordinates.put(key, Boolean.TRUE);
    }

    private void load() {
        if (loaded) {
            return;
        }
        if (Files.isRegularFile(file)) {
            try {
                removePartialLastLine();
                readTail();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the dead-letter log " + file, e);
            }
        }
        loaded = true;
    }

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

    private void readTail() throws IOException {
        byte[] tail;
        boolean fromStart;
        try (RandomAccessFile access = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.max(0, access.length() - tailBytes);
            fromStart = start == 0;
            tail = new byte[(int) (access.length() - start)];
            access.seek(start);
            access.readFully(tail);
        }
        String text = new String(tail, StandardCharsets.UTF_8);
        String[] lines = text.split("\n");
        // Unless the tail starts at the beginning of the file, its first line is cut.
        for (int i = fromStart ? 0 : 1; i < lines.length; i++) {
            try {
                coordinates.put(keyOf(DeadLetterLogLine.parse(lines[i])), Boolean.TRUE);
            } catch (IllegalArgumentException e) {
                // A line written by someone else, e.g. a comment; it identifies no record.
            }
        }
        LOG.info("Dead-letter log {}: {} logged records found in its last {} bytes", file, coordinates.size(),
                tail.length);
    }
}
