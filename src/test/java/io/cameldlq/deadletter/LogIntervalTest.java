package io.cameldlq.deadletter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class LogIntervalTest {

    private final AtomicLong now = new AtomicLong(TimeUnit.HOURS.toNanos(5));
    private final LogInterval interval = new LogInterval(10_000, now::get);

    @Test
    void firstLineIsAdmitted() {
        assertEquals(0, interval.admit());
    }

    @Test
    void countsLinesHeldBack() {
        interval.admit();
        advanceMs(1);
        assertEquals(LogInterval.HELD_BACK, interval.admit());
        advanceMs(9_998);
        assertEquals(LogInterval.HELD_BACK, interval.admit());

        advanceMs(1);
        assertEquals(2, interval.admit(), "the lines held back since the last one");
        assertEquals(LogInterval.HELD_BACK, interval.admit());
    }

    @Test
    void countRestartsAfterLine() {
        interval.admit();
        interval.admit();
        advanceMs(10_000);
        assertEquals(1, interval.admit());
        advanceMs(10_000);
        assertEquals(0, interval.admit());
    }

    @Test
    void lowestClockAdmitsFirstLine() {
        LogInterval early = new LogInterval(10_000, () -> Long.MIN_VALUE + 5);
        assertEquals(0, early.admit());
        assertEquals(LogInterval.HELD_BACK, early.admit());
    }

    private void advanceMs(long ms) {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
    }
}
