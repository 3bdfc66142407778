package io.cameldlq.route;

import org.apache.camel.LoggingLevel;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.RouteConfigurationDefinition;

import io.cameldlq.config.PipelineSettings;
import io.cameldlq.config.RetryPolicy;
import io.cameldlq.config.RetryTopicSettings;
import io.cameldlq.deadletter.DeadLetterPartitions;
import io.cameldlq.deadletter.DeadLetterPublishFailureLogger;
import io.cameldlq.deadletter.DeadLetterRecordPreparer;
import io.cameldlq.deadletter.FailedAttemptRecorder;
import io.cameldlq.metrics.PipelineMetrics;
import io.cameldlq.kafka.PendingPublishes.Position;
import io.cameldlq.retry.AsyncPublisher;
import io.cameldlq.retry.RetryOrDeadLetterPreparer;
import io.cameldlq.retry.RetryWaitAbortedException;

/**
 * The error policy of the task-processing and task-processing-retry routes when {@code redelivery.mode} is
 * {@code non-blocking}, as the route configuration {@value #ID}. In the blocking mode it defines nothing.
 *
 * <p>A failed attempt is not retried on the consumer thread. While attempts are left and the failure is
 * retryable, the original record goes to {@code redelivery.retry-topic} with the bookkeeping headers of
 * {@link io.cameldlq.retry.RetryHeaders}, due after the pause that {@link RetryPolicy} gives. Otherwise it is
 * dead-lettered with the same headers as in the blocking mode. Both publishes run through
 * {@link TaskProcessingRetryRoute#FAILED_ATTEMPT_URI}.
 *
 * <p>What this implies:
 * <ul>
 *   <li><b>Non-blocking.</b> The consumer moves on as soon as the retry record is handed to the producer,
 *       without waiting for the acknowledgement. So records behind a failing one are processed before its
 *       next attempt, and a later record with the same key can be processed before an earlier failed one.</li>
 *   <li><b>Offsets.</b> As in the blocking mode, an offset is committed only after its record was
 *       processed or its retry record or dead letter was acknowledged by all in-sync replicas: the consumer
 *       is a {@link io.cameldlq.kafka.CommitHoldingConsumer}, which commits nothing past a publish not yet
 *       acknowledged. After a failed publish it consumes that record again, and the records after it.</li>
 *   <li><b>Duplicates.</b> A crash between an acknowledgement and the commit repeats that attempt after the
 *       restart, so a record can get one attempt more than the policy allows, and a retry record or a dead
 *       letter can be published twice.</li>
 * </ul>
 *
 * <p>Only the routes that name {@value #ID} get this policy. Camel gives a route that names no route
 * configuration only the configurations without an id, so a route added in YAML keeps Camel's default
 * error handler, as in the blocking mode.
 */
public class NonBlockingRetryErrorPolicy extends RouteConfigurationBuilder {

    public static final String ID = "task-processing-retry-topic-policy";

    /** Route configuration of the route behind {@link TaskProcessingRetryRoute#FAILED_ATTEMPT_URI}. */
    public static final String PUBLISH_ID = "task-processing-failed-attempt-policy";

    private static final String LOG_NAME = NonBlockingRetryErrorPolicy.class.getName();

    /** Shortest time between two ERROR lines about failed publishes to one topic. */
    private static final long FAILURE_LOG_INTERVAL_MS = 10_000;

    private static final String CONSEQUENCE = "Its offset is not committed, so it is consumed and attempted again";

    private final DeadLetterPartitions partitions;

    /** @param partitions the dead-letter topic's partition count, filled in at start-up */
    public NonBlockingRetryErrorPolicy(DeadLetterPartitions partitions) {
        this.partitions = partitions;
    }

    @Override
    public void configuration() {
        RetryTopicSettings retrySettings = RetryTopicSettings.load(getCamelContext());
        if (!retrySettings.nonBlocking()) {
            return;
        }
        PipelineSettings settings = PipelineSettings.load(getCamelContext());
        RetryPolicy retry = RetryPolicy.load(getCamelContext());
        PipelineMetrics metrics = PipelineMetrics.of(getCamelContext());
        DeadLetterRecordPreparer deadLetterPreparer = DeadLetterRecordPreparer.of(settings, retry, partitions);
        FailedAttemptRecorder recorder = new FailedAttemptRecorder(retry, metrics,
                "publishing it to retry topic " + retrySettings.retryTopic());

        Processor preparer = new RetryOrDeadLetterPreparer(retrySettings.retryTopic(), retry, deadLetterPreparer);

        RouteConfigurationDefinition policy = routeConfiguration(ID);
        policy.errorHandler(deadLetterChannel(TaskProcessingRetryRoute.FAILED_ATTEMPT_URI)
                // A failed publish must fail the exchange so that its offset is not committed.
                .deadLetterHandleNewException(false)
                .useOriginalMessage()
                // Retries go through the retry topic, never on the consumer thread.
                .maximumRedeliveries(0)
                .onExceptionOccurred(exchange -> {
                    if (!(FailedAttemptRecorder.failureOf(exchange) instanceof RetryWaitAbortedException)) {
                        recorder.process(exchange);
                    }
                })
                .onPrepareFailure(exchange -> {
                    // Where the failed record was read, for the consumer that holds back its commit.
                    exchange.setProperty(AsyncPublisher.POSITION_PROPERTY, Position.of(exchange.getMessage()));
                    preparer.process(exchange);
                })
                // FailedAttemptRecorder and DeadLetterRecordPreparer log with the record's coordinates.
                .logRetryAttempted(false)
                .logExhausted(false)
                .logNewException(true)
                .retriesExhaustedLogLevel(LoggingLevel.ERROR));

        // Stopping during the wait for a due time is no failed attempt. The exchange fails without the
        // dead-letter channel, so nothing is published and the offset stays uncommitted.
        policy.onException(RetryWaitAbortedException.class)
                .handled(false)
                .log(LoggingLevel.DEBUG, LOG_NAME, "${exception.message}");

        // The publishing route has no error handler of its own: its failure is the failed exchange's.
        routeConfiguration(PUBLISH_ID).errorHandler(noErrorHandler());
    }

    /** Returns a logger of failed publishes to the retry topic. */
    static Processor retryPublishFailureLogger(RetryTopicSettings retrySettings, PipelineMetrics metrics) {
        return new DeadLetterPublishFailureLogger("retry topic " + retrySettings.retryTopic(), CONSEQUENCE,
                FAILURE_LOG_INTERVAL_MS, metrics);
    }

    /** Returns a logger of failed publishes to the dead-letter topic. */
    static Processor deadLetterPublishFailureLogger(PipelineSettings settings, PipelineMetrics metrics) {
        return new DeadLetterPublishFailureLogger("dead-letter topic " + settings.deadLetterTopic(), CONSEQUENCE,
                FAILURE_LOG_INTERVAL_MS, metrics);
    }
}
