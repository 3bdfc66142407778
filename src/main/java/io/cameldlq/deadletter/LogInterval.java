package io.cameldlq.deadletter;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Lets one log line through per interval and counts the lines held back in between, so that a failure
 * repeated for many records does not flood the log. Safe for use by several threads.
 */
final class LogInterval {

    /** Returned by {@link #admit()} for a line that is held back. */
    static final long HELD_BACK = -1;

    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final AtomicLong lastAdmittedAt;
    private final AtomicLong heldBack = new AtomicLong();

    LogInterval(long intervalMs) {
        this(intervalMs, System::nanoTime);
    }

    /** @param nanoClock source of {@link System#nanoTime()}-like readings */
    LogInterval(long intervalMs, LongSupplier nanoClock) {
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMs);
        this.nanoClock = nanoClock;
        // Far enough in the past that the first line is admitted.
        this.lastAdmittedAt = new AtomicLong(nanoClock.getAsLong() - Long.MAX_VALUE / 2);
    }

    /**
     * Returns {@link #HELD_BACK} when a line was admitted less than an interval ago, and counts this one as
     * held back. Otherwise admits this line and returns the number of lines held back since the last one.
     */
    long admit() {
        long now = nanoClock.getAsLong();
        long last = lastAdmittedAt.get();
        if (now - last < intervalNanos || !lastAdmittedAt.compareAndSet(last, now)) {
            heldBack.incrementAndGet();
            return HELD_BACK;
        }
        return heldBack.getAndSet(0);
    }

    long intervalSeconds() {
        return TimeUnit.NANOSECONDS.toSeconds(intervalNanos);
    }
}
