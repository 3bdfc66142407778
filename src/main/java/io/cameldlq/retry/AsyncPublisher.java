package io.cameldlq.retry;

import java.util.function.Consumer;

import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProducer;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.AsyncProcessorSupport;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cameldlq.kafka.CommitHoldingConsumer;
import io.cameldlq.kafka.PendingPublishes;
import io.cameldlq.kafka.PendingPublishes.Position;

/**
 * Publishes the record of a failed attempt through a camel-kafka producer without waiting for the broker's
 * acknowledgement, so the consumer thread goes on with the next record. The publish is registered in
 * {@link PendingPublishes} under the consumed record's {@link #POSITION_PROPERTY}, and the
 * {@link CommitHoldingConsumer} that read the record commits nothing past it until the acknowledgement
 * arrives. A failed publish is logged and makes that consumer read the record again.
 *
 * <p>An exchange without a position, which no commit-holding consumer read, is published the usual way:
 * the exchange completes with the acknowledgement and fails with the publish. Either way a failed publish
 * is logged here.
 */
public class AsyncPublisher extends AsyncProcessorSupport {

    /** Exchange property with the {@link Position} of the consumed record that the publish belongs to. */
    public static final String POSITION_PROPERTY = "camelDlqConsumedPosition";

    private static final Logger LOG = LoggerFactory.getLogger(AsyncPublisher.class);

    private final CamelContext context;
    private final String endpointUri;
    private final PendingPublishes pending;
    private final Processor failureLogger;
    private final Consumer<Exchange> acknowledged;
    private AsyncProducer producer;

    /**
     * @param endpointUri   the camel-kafka producer endpoint
     * @param failureLogger logs a failed publish from the failed exchange or its copy
     * @param acknowledged  runs with the exchange or its copy once the broker acknowledged the publish
     */
    public AsyncPublisher(CamelContext context, String endpointUri, PendingPublishes pending,
            Processor failureLogger, Consumer<Exchange> acknowledged) {
        this.context = context;
        this.endpointUri = endpointUri;
        this.pending = pending;
        this.failureLogger = failureLogger;
        this.acknowledged = acknowledged;
    }

    @Override
    protected void doStart() throws Exception {
        producer = context.getEndpoint(endpointUri).createAsyncProducer();
        ServiceHelper.startService(producer);
    }

    @Override
    protected void doStop() {
        // Kafka's producer close waits for the publishes still in flight, and their callbacks run.
        ServiceHelper.stopService(producer);
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Position position = exchange.getProperty(POSITION_PROPERTY, Position.class);
        if (position == null) {
            return producer.process(exchange, doneSync -> {
                if (exchange.getException() != null) {
                    logFailure(exchange);
                } else {
                    acknowledged.accept(exchange);
                }
                callback.done(doneSync);
            });
        }
        // The consumer releases the exchange when its route completes, which is before the acknowledgement.
        Exchange publish = exchange.copy();
        PendingPublishes.Ticket ticket = pending.start(position);
        try {
            producer.process(publish, doneSync -> ended(publish, ticket));
        } catch (RuntimeException e) {
            publish.setException(e);
            ended(publish, ticket);
        }
        callback.done(true);
        return true;
    }

    private void ended(Exchange publish, PendingPublishes.Ticket ticket) {
        if (publish.getException() == null) {
            pending.acknowledged(ticket);
            acknowledged.accept(publish);
            return;
        }
        pending.failed(ticket);
        logFailure(publish);
    }

    private void logFailure(Exchange failed) {
        try {
            failureLogger.process(failed);
        } catch (Exception e) {
            LOG.error("Could not log a failed publish", e);
        }
    }
}
