package io.cameldlq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class RedriveProgressTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void limitBoundsDoneAndTimeLeft() {
        RedriveProgress progress = new RedriveProgress(19, 4, 0);

        assertEquals("2 / 4 done, 1.0 records/s, about 2 s left", progress.line(2 * SECOND, 6, 2));
    }

    @Test
    void limitAboveTotalCountsTotal() {
        RedriveProgress progress = new RedriveProgress(3, 10, 0);

        assertEquals("1 / 3 done, 1.0 records/s, about 2 s left", progress.line(SECOND, 1, 1));
    }

    @Test
    void withoutLimitCountsRecordsRead() {
        RedriveProgress progress = new RedriveProgress(19, null, 0);

        assertEquals("6 / 19 done, 3.0 records/s, about 4 s left", progress.line(2 * SECOND, 6, 2));
    }

    @Test
    void nothingDoneLeavesTimeUnknown() {
        RedriveProgress progress = new RedriveProgress(5, 2, 0);

        assertEquals("0 / 2 done, 0.0 records/s, time left unknown", progress.line(SECOND, 3, 0));
    }

    @Test
    void linesComeOncePerSecond() {
        RedriveProgress progress = new RedriveProgress(10, null, 0);

        assertNull(progress.lineIfDue(SECOND / 2, 1, 1));
        assertEquals("2 / 10 done, 2.0 records/s, about 4 s left", progress.lineIfDue(SECOND, 2, 2));
        assertNull(progress.lineIfDue(SECOND + SECOND / 2, 3, 3));
        assertEquals("4 / 10 done, 2.0 records/s, about 3 s left", progress.lineIfDue(2 * SECOND, 4, 4));
    }
}
