package io.cameldlq.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The processing that both contenders run for each record: by default no work beyond bookkeeping. It fails
 * records of kind {@link BenchValues#FAILING} and records, for the others, the end-to-end latency from the
 * record's timestamp to now. The system property {@value #WORK_MICROS_PROPERTY} adds that many microseconds
 * of CPU time to each attempt, a busy loop before the outcome, as a stand-in for real processing.
 *
 * <p>When the system property {@value #STATS_FILE_PROPERTY} names a file, a shutdown hook writes the
 * figures there as a properties file when the JVM exits. The bookkeeping is shared by the whole JVM
 * because each contender runs one consumer thread.
 */
public final class BenchTask {

    public static final String STATS_FILE_PROPERTY = "bench.stats-file";
    public static final String WORK_MICROS_PROPERTY = "bench.work-micros";

    private static final long WORK_NANOS = Long.getLong(WORK_MICROS_PROPERTY, 0) * 1_000;

    private static final BenchTask INSTANCE = new BenchTask();

    private final LatencyHistogram backlogLatency = new LatencyHistogram();
    private final LatencyHistogram steadyLatency = new LatencyHistogram();
    /** Time of the first attempt of each failing record, by record number. */
    private final Map<Long, Long> firstFailedAttemptMs = new LinkedHashMap<>();
    private long firstRecordMs;
    private long lastHealthyMs;
    private long healthyRecords;
    private long failedAttempts;
    /** The same for the records that are not warm-up records, of kind WARM_UP or WARM_UP_FAILING. */
    private long firstMeasuredMs;
    private long lastMeasuredHealthyMs;
    private long measuredHealthyRecords;

    static {
        String statsFile = System.getProperty(STATS_FILE_PROPERTY);
        if (statsFile != null) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> INSTANCE.writeStats(Path.of(statsFile)),
                    "bench-stats-writer"));
        }
    }

    private BenchTask() {
    }

    public static BenchTask instance() {
        return INSTANCE;
    }

    /**
     * Processes one record.
     *
     * @param value       the record value
     * @param timestampMs the record timestamp, or a negative number when the record has none
     * @throws BenchTaskFailure if the record is marked to fail
     */
    public void process(byte[] value, long timestampMs) {
        // Outside the lock, so that the consumers of one process work in parallel as real processing would.
        if (WORK_NANOS > 0) {
            long end = System.nanoTime() + WORK_NANOS;
            while (System.nanoTime() < end) {
                // Spends CPU time, as processing would.
            }
        }
        record(value, timestampMs);
    }

    private synchronized void record(byte[] value, long timestampMs) {
        long now = System.currentTimeMillis();
        if (firstRecordMs == 0) {
            firstRecordMs = now;
        }
        byte kind = BenchValues.kind(value);
        boolean warmUp = kind == BenchValues.WARM_UP || kind == BenchValues.WARM_UP_FAILING;
        if (!warmUp && firstMeasuredMs == 0) {
            firstMeasuredMs = now;
        }
        if (kind == BenchValues.WARM_UP_FAILING) {
            failedAttempts++;
            throw new BenchTaskFailure("Warm-up record " + BenchValues.number(value) + " is marked to fail");
        }
        if (kind == BenchValues.FAILING) {
            long number = BenchValues.number(value);
            firstFailedAttemptMs.putIfAbsent(number, now);
            failedAttempts++;
            throw new BenchTaskFailure("Record " + number + " is marked to fail");
        }
        if (timestampMs >= 0) {
            if (kind == BenchValues.STEADY) {
                steadyLatency.record(now - timestampMs);
            } else if (kind != BenchValues.WARM_UP) {
                backlogLatency.record(now - timestampMs);
            }
        }
        healthyRecords++;
        lastHealthyMs = now;
        if (!warmUp) {
            measuredHealthyRecords++;
            lastMeasuredHealthyMs = now;
        }
    }

    private synchronized void writeStats(Path file) {
        StringBuilder text = new StringBuilder();
        text.append("first-record-ms=").append(firstRecordMs).append('\n');
        text.append("last-healthy-ms=").append(lastHealthyMs).append('\n');
        text.append("healthy-records=").append(healthyRecords).append('\n');
        text.append("failed-attempts=").append(failedAttempts).append('\n');
        text.append("first-measured-ms=").append(firstMeasuredMs).append('\n');
        text.append("last-measured-healthy-ms=").append(lastMeasuredHealthyMs).append('\n');
        text.append("measured-healthy-records=").append(measuredHealthyRecords).append('\n');
        text.append("backlog-latency=").append(backlogLatency.encode()).append('\n');
        text.append("steady-latency=").append(steadyLatency.encode()).append('\n');
        firstFailedAttemptMs.forEach((number, ms) ->
                text.append("first-failed-attempt.").append(number).append('=').append(ms).append('\n'));
        try {
            // Written aside and moved, so that the harness never reads half a file.
            Path partial = file.resolveSibling(file.getFileName() + ".partial");
            Files.writeString(partial, text, StandardCharsets.UTF_8);
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the benchmark figures to " + file, e);
        }
    }
}
