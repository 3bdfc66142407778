package io.cameldlq.retry;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ServiceStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cameldlq.config.RetryPolicy;
import io.cameldlq.deadletter.RecordCoordinates;
import io.cameldlq.route.ConsumerKeepingRedeliveryDelay;

/**
 * Step of the task-processing-retry route that waits until the due time of the record's next attempt,
 * keeping the consumer in its group as {@link ConsumerKeepingRedeliveryDelay} does. The records polled after
 * it wait too, in every partition of the consumer, because the consumer processes one record at a time.
 *
 * <p>When the application or the route stops during the wait, the wait ends with
 * {@link RetryWaitAbortedException}, so shutdown is not held up for the rest of the delay.
 */
public class RetryDueTimeWait implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(RetryDueTimeWait.class);

    private final long longestWaitMs;

    /**
     * @param policy the retry policy. No wait is longer than its longest pause with the full jitter, so a due
     *               time far in the future is not waited for, e.g. one set by an instance whose clock is ahead
     */
    public RetryDueTimeWait(RetryPolicy policy) {
        this.longestWaitMs = Math.round(policy.maximumDelayMs() * (1 + policy.jitter()));
    }

    @Override
    public void process(Exchange exchange) throws InterruptedException {
        RetryBookkeeping bookkeeping = exchange.getProperty(RetryRecordUnwrapper.BOOKKEEPING_PROPERTY,
                RetryBookkeeping.class);
        if (bookkeeping == null || bookkeeping.dueTime() == null) {
            return;
        }
        long remainingMs = bookkeeping.dueTime().toEpochMilli() - System.currentTimeMillis();
        if (remainingMs > longestWaitMs) {
            LOG.warn("Record {} is due in {} ms, more than the longest pause of {} ms; waiting {} ms only",
                    RecordCoordinates.of(exchange.getMessage()), remainingMs, longestWaitMs, longestWaitMs);
            remainingMs = longestWaitMs;
        }
        if (!ConsumerKeepingRedeliveryDelay.waitKeepingConsumer(exchange, remainingMs, () -> stopping(exchange))) {
            throw new RetryWaitAbortedException(RecordCoordinates.of(exchange.getMessage()));
        }
    }

    /** Returns whether the Camel context or the exchange's route is stopping or suspending. */
    private static boolean stopping(Exchange exchange) {
        CamelContext context = exchange.getContext();
        if (context.isStopping() || context.isStopped()) {
            return true;
        }
        String routeId = exchange.getFromRouteId();
        ServiceStatus status = routeId == null ? null : context.getRouteController().getRouteStatus(routeId);
        return status != null && (status.isStopping() || status.isStopped() || status.isSuspending()
                || status.isSuspended());
    }
}
