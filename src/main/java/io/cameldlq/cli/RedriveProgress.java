package io.cameldlq.cli;

import java.util.Locale;

/**
 * The progress line that {@code redrive} prints to standard error once a second. With {@code --limit} it
 * counts the records redriven (sent or parked) towards the smaller of the limit and the dead letters to
 * read. Without a limit it counts the dead letters read, skipped ones included. The time left assumes
 * the rate so far holds.
 */
final class RedriveProgress {

    private static final long SECOND_NANOS = 1_000_000_000L;

    private final long total;
    private final Integer limit;
    private final long startedAtNanos;
    private long printedAtNanos;

    /**
     * @param total          dead letters to read in this run
     * @param limit          the {@code --limit}, or null
     * @param startedAtNanos {@link System#nanoTime()} at the start of the run
     */
    RedriveProgress(long total, Integer limit, long startedAtNanos) {
        this.total = total;
        this.limit = limit;
        this.startedAtNanos = startedAtNanos;
        this.printedAtNanos = startedAtNanos;
    }

    /** Returns the progress line when a second has passed since the last one, else null. */
    String lineIfDue(long nowNanos, long read, long redriven) {
        if (nowNanos - printedAtNanos < SECOND_NANOS) {
            return null;
        }
        printedAtNanos = nowNanos;
        return line(nowNanos, read, redriven);
    }

    String line(long nowNanos, long read, long redriven) {
        long goal = limit == null ? total : Math.min(limit, total);
        long done = limit == null ? read : redriven;
        double seconds = Math.max(nowNanos - startedAtNanos, 1) / 1e9;
        double perSecond = done / seconds;
        String left = perSecond > 0
                ? String.format(Locale.ROOT, "about %.0f s left", Math.max(goal - done, 0) / perSecond)
                : "time left unknown";
        return String.format(Locale.ROOT, "%d / %d done, %.1f records/s, %s", done, goal, perSecond, left);
    }
}
