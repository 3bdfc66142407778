package io.cameldlq.route;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.spi.Synchronization;
import org.apache.camel.support.SynchronizationAdapter;

import io.cameldlq.config.PipelineSettings;
import io.cameldlq.config.RetryPolicy;
import io.cameldlq.deadletter.DeadLetterPartitions;
import io.cameldlq.deadletter.DeadLetterPublishFailureLogger;
import io.cameldlq.deadletter.DeadLetterRecordPreparer;
import io.cameldlq.deadletter.FailedAttemptRecorder;
import io.cameldlq.kafka.KafkaUris;
import io.cameldlq.metrics.PipelineMetrics;

/**
 * The retry and dead-letter policy of the task-processing route, as the route configuration
 * {@value #ID}.
 *
 * <p>A record whose processing throws is attempted again {@code redelivery.maximum-redeliveries} times
 * (default 2, so three attempts in all), {@code redelivery.delay-ms} apart (default 1000 ms, no
 * back-off or jitter; see {@link RetryPolicy}). An exception listed in
 * {@code redelivery.not-retryable-exceptions} (default {@code io.cameldlq.task.InvalidTaskException})
 * ends the attempts at once. Then the original record, as consumed, is published to
 * {@code dead-letter.topic} with the same key, value bytes, timestamp and headers plus the diagnostic
 * headers of {@code DeadLetterHeaders}.
 *
 * <p>What this implies:
 * <ul>
 *   <li><b>Blocking.</b> Retries run on the consumer thread, so a failing record holds its partition
 *       (and the other partitions of that consumer) for the whole retry time, 2 s with the defaults.
 *       Records of one partition keep their order. During the delay the consumer keeps polling with its
 *       partitions paused, so a run of failing records does not exceed {@code max.poll.interval.ms} and
 *       trigger a rebalance.</li>
 *   <li><b>Offsets.</b> The offset of a record is committed only after it was processed or its dead-letter
 *       record was acknowledged by all in-sync replicas. A failed dead-letter publish is not swallowed:
 *       the exchange fails, nothing past it is committed, and the consumer seeks back and starts the
 *       record again from its first attempt.</li>
 *   <li><b>Duplicates.</b> A crash between the dead-letter acknowledgement and the commit publishes the
 *       dead letter again after restart; the original coordinates in its headers identify the copy.</li>
 * </ul>
 */
public class TaskProcessingErrorPolicy extends RouteConfigurationBuilder {

    public static final String ID = "task-processing-error-policy";

    /** Shortest time between two ERROR lines about failed dead-letter publishes. */
    private static final long FAILURE_LOG_INTERVAL_MS = 10_000;

    private final DeadLetterPartitions partitions;

    /** @param partitions the dead-letter topic's partition count, filled in at start-up */
    public TaskProcessingErrorPolicy(DeadLetterPartitions partitions) {
        this.partitions = partitions;
    }

    @Override
    public void configuration() {
        PipelineSettings settings = PipelineSettings.load(getCamelContext());
        RetryPolicy retry = RetryPolicy.load(getCamelContext());
        PipelineMetrics metrics = PipelineMetrics.of(getCamelContext());

        // No linger: the consumer waits for this publish, so a linger would hold up the partition.
        String deadLetterUri = KafkaUris.deadLetterProducer(settings.deadLetterTopic(),
                settings.deadLetterPublishTimeoutMs(), 0);
        RouteConfigurationDefinition policy = routeConfiguration(ID);
        policy.errorHandler(deadLetterChannel(deadLetterUri)
                        // A failed publish must fail the exchange so that its offset is not committed.
                        .deadLetterHandleNewException(false)
                        .useOriginalMessage()
                        .maximumRedeliveries(retry.maximumRedeliveries())
                        // Decides on the attempts left and redelivery.not-retryable-exceptions.
                        .retryWhile(new RetryDecision(retry))
                        // The delay is waited by ConsumerKeepingRedeliveryDelay, which keeps polling.
                        .redeliveryDelay(0)
                        .onRedelivery(new ConsumerKeepingRedeliveryDelay(retry, metrics))
                        .onExceptionOccurred(new FailedAttemptRecorder(retry, metrics))
                        .onPrepareFailure(prepareDeadLetter(DeadLetterRecordPreparer.of(settings, retry, partitions),
                                new DeadLetterPublishFailureLogger(settings.deadLetterTopic(), FAILURE_LOG_INTERVAL_MS,
                                        metrics), metrics))
                        // FailedAttemptRecorder and DeadLetterRecordPreparer log with the record's coordinates.
                        .logRetryAttempted(false)
                        .logExhausted(false)
                        .logNewException(true)
                        .retriesExhaustedLogLevel(LoggingLevel.ERROR));
    }

    /**
     * Returns the preparer of a dead letter that also counts the acknowledged publish and logs a failed one.
     * The channel waits for the publish, so the exchange completes with its outcome. It fails only if the
     * publish failed ({@code deadLetterHandleNewException(false)}), because the channel handles every other
     * failure. Watching just these exchanges, not every exchange with an onCompletion, spares the others.
     */
    static Processor prepareDeadLetter(DeadLetterRecordPreparer preparer, DeadLetterPublishFailureLogger failureLogger,
            PipelineMetrics metrics) {
        Synchronization publishOutcome = new SynchronizationAdapter() {
            @Override
            public void onComplete(Exchange exchange) {
                DeadLetterRecordPreparer.recordAcknowledged(exchange, metrics);
            }

            @Override
            public void onFailure(Exchange exchange) {
                failureLogger.process(exchange);
            }
        };
        return exchange -> {
            preparer.process(exchange);
            exchange.getExchangeExtension().addOnCompletion(publishOutcome);
        };
    }
}
