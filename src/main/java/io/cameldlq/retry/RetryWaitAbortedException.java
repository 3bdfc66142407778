package io.cameldlq.retry;

import io.cameldlq.deadletter.RecordCoordinates;

/**
 * Ends the wait for a retry record's due time because the application or the route is stopping. It is no
 * failed attempt: the record is neither processed nor published, and its offset in the retry topic is not
 * committed, so it is attempted after the restart.
 */
public class RetryWaitAbortedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RetryWaitAbortedException(RecordCoordinates record) {
        super("Stopped waiting for the next attempt of record " + record
                + " because the route is stopping; its offset in the retry topic is not committed");
    }
}
