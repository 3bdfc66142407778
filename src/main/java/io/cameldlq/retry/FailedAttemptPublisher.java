package io.cameldlq.retry;

import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;
import org.apache.camel.support.service.ServiceHelper;

import io.cameldlq.retry.RetryOrDeadLetterPreparer.Outcome;

/**
 * Publishes the record that {@link RetryOrDeadLetterPreparer} prepared for a failed attempt: to the retry
 * topic for {@link Outcome#RETRY}, to the dead-letter topic for {@link Outcome#DEAD_LETTER}. The publishers
 * log their own failures.
 *
 * <p>Without a prepared record the exchange fails again with the attempt's failure, so that its offset is
 * not committed.
 */
public class FailedAttemptPublisher extends AsyncProcessorSupport {

    private final AsyncProcessor retryPublisher;
    private final AsyncProcessor deadLetterPublisher;

    public FailedAttemptPublisher(AsyncProcessor retryPublisher, AsyncProcessor deadLetterPublisher) {
        this.retryPublisher = retryPublisher;
        this.deadLetterPublisher = deadLetterPublisher;
    }

    @Override
    protected void doStart() throws Exception {
        ServiceHelper.startService(retryPublisher, deadLetterPublisher);
    }

    @Override
    protected void doStop() throws Exception {
        ServiceHelper.stopService(retryPublisher, deadLetterPublisher);
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Outcome outcome = exchange.getProperty(RetryOrDeadLetterPreparer.OUTCOME_PROPERTY, Outcome.class);
        AsyncProcessor publisher = outcome == Outcome.RETRY ? retryPublisher
                : outcome == Outcome.DEAD_LETTER ? deadLetterPublisher : null;
        if (publisher != null) {
            try {
                return publisher.process(exchange, callback);
            } catch (RuntimeException e) {
                exchange.setException(e);
            }
        } else {
            Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
            if (caught == null) {
                caught = new IllegalStateException("Failed attempt without a prepared record");
            }
            exchange.setException(caught);
        }
        callback.done(true);
        return true;
    }
}
