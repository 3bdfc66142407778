package io.cameldlq.deadletter;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs after every failed processing attempt: counts the attempt on the exchange and logs it with the
 * record's coordinates.
 */
public class FailedAttemptRecorder implements Processor {

    /** Exchange property with the number of failed attempts so far. */
    public static final String ATTEMPTS_PROPERTY = "camelDlqFailedAttempts";

    private static final Logger LOG = LoggerFactory.getLogger(FailedAttemptRecorder.class);

    private final int maximumAttempts;

    public FailedAttemptRecorder(int maximumAttempts) {
        this.maximumAttempts = maximumAttempts;
    }

    @Override
    public void process(Exchange exchange) {
        int attempts = exchange.getProperty(ATTEMPTS_PROPERTY, 0, Integer.class) + 1;
        exchange.setProperty(ATTEMPTS_PROPERTY, attempts);

        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure == null) {
            failure = exchange.getException();
        }
        String consequence = attempts < maximumAttempts ? "retrying" : "no attempts left";
        LOG.warn("Attempt {} of {} failed for record {}: {}; {}", attempts, maximumAttempts,
                RecordCoordinates.of(exchange.getMessage()), describe(failure), consequence);
    }

    static String describe(Throwable failure) {
        if (failure == null) {
            return "unknown failure";
        }
        return failure.getClass().getName() + ": " + failure.getMessage();
    }
}
