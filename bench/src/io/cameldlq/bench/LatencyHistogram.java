package io.cameldlq.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Counts of latencies in milliseconds: 1 ms buckets below 100 s, 1 s buckets from there up to one hour,
 * and one last bucket for everything longer. Kafka record timestamps have millisecond resolution, so a
 * finer bucket would add nothing. Not thread-safe.
 */
public final class LatencyHistogram {

    private static final int FINE_LIMIT_MS = 100_000;
    private static final int COARSE_BUCKETS = 3_600;

    private final int[] counts = new int[FINE_LIMIT_MS + COARSE_BUCKETS + 1];
    private long total;

    public void record(long latencyMs) {
        long ms = Math.max(0, latencyMs);
        int index = ms < FINE_LIMIT_MS ? (int) ms
                : (int) Math.min(counts.length - 1, FINE_LIMIT_MS + (ms - FINE_LIMIT_MS) / 1000);
        counts[index]++;
        total++;
    }

    public long total() {
        return total;
    }

    /** Returns the non-empty buckets as {@code LOWER_BOUND_MS:COUNT} pairs joined by commas. */
    public String encode() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 0) {
                text.append(text.length() == 0 ? "" : ",").append(lowerBound(i)).append(':').append(counts[i]);
            }
        }
        return text.toString();
    }

    /**
     * Returns the given percentile (0 to 100) of an {@link #encode() encoded} histogram, as the lower bound
     * of the bucket it falls in, or -1 for an empty histogram.
     */
    public static long percentile(String encoded, double percentile) {
        List<long[]> buckets = new ArrayList<>();
        long count = 0;
        if (encoded != null && !encoded.isBlank()) {
            for (String pair : encoded.split(",")) {
                int colon = pair.indexOf(':');
                long bucketCount = Long.parseLong(pair.substring(colon + 1));
                buckets.add(new long[] {Long.parseLong(pair.substring(0, colon)), bucketCount});
                count += bucketCount;
            }
        }
        if (count == 0) {
            return -1;
        }
        long rank = Math.max(1, (long) Math.ceil(percentile / 100.0 * count));
        long seen = 0;
        for (long[] bucket : buckets) {
            seen += bucket[1];
            if (seen >= rank) {
                return bucket[0];
            }
        }
        return buckets.get(buckets.size() - 1)[0];
    }

    /** Returns the number of latencies in an {@link #encode() encoded} histogram. */
    public static long count(String encoded) {
        long count = 0;
        if (encoded != null && !encoded.isBlank()) {
            for (String pair : encoded.split(",")) {
                count += Long.parseLong(pair.substring(pair.indexOf(':') + 1));
            }
        }
        return count;
    }

    private static long lowerBound(int index) {
        return index < FINE_LIMIT_MS ? index : FINE_LIMIT_MS + (long) (index - FINE_LIMIT_MS) * 1000;
    }
}
