package io.cameldlq.route;

import org.apache.camel.ShutdownRoute;
import org.apache.camel.builder.RouteBuilder;

import io.cameldlq.config.PipelineSettings;
import io.cameldlq.config.RetryPolicy;
import io.cameldlq.config.RetryTopicSettings;
import io.cameldlq.deadletter.DeadLetterRecordPreparer;
import io.cameldlq.kafka.CommitHoldingClientFactory;
import io.cameldlq.kafka.KafkaUris;
import io.cameldlq.kafka.PendingPublishes;
import io.cameldlq.metrics.PipelineMetrics;
import io.cameldlq.retry.AsyncPublisher;
import io.cameldlq.retry.FailedAttemptPublisher;
import io.cameldlq.retry.RetryDueTimeWait;
import io.cameldlq.retry.RetryRecordUnwrapper;

/**
 * The routes of the non-blocking retry mode; in the blocking mode it defines none.
 *
 * <ul>
 *   <li>{@value #ROUTE_ID} consumes {@code redelivery.retry-topic} in its own consumer group, waits for each
 *       record's due time, and hands the source record to the same task processor as the task-processing
 *       route. Failures are handled by {@link NonBlockingRetryErrorPolicy}.</li>
 *   <li>{@value #PUBLISH_ROUTE_ID}, behind {@link #FAILED_ATTEMPT_URI}, publishes the record that
 *       {@link NonBlockingRetryErrorPolicy} prepared to the retry topic or the dead-letter topic. It does not
 *       wait for the acknowledgement: {@link AsyncPublisher} registers the publish, and the consumer that read
 *       the failed record commits nothing past it until the acknowledgement arrives.</li>
 * </ul>
 */
public class TaskProcessingRetryRoute extends RouteBuilder {

    public static final String ROUTE_ID = "task-processing-retry";
    public static final String PUBLISH_ROUTE_ID = "task-processing-failed-attempt";
    public static final String FAILED_ATTEMPT_URI = "direct:" + PUBLISH_ROUTE_ID;

    private static final String LOG_NAME = "io.cameldlq.route.task-processing-retry";

    /** Maximum wait of a retry-topic fetch for more records. */
    private static final long MAX_FETCH_WAIT_MS = 500;

    @Override
    public void configure() {
        RetryTopicSettings retrySettings = RetryTopicSettings.load(getCamelContext());
        if (!retrySettings.nonBlocking()) {
            return;
        }
        PipelineSettings settings = PipelineSettings.load(getCamelContext());
        RetryPolicy retry = RetryPolicy.load(getCamelContext());
        PipelineMetrics metrics = PipelineMetrics.of(getCamelContext());

        PendingPublishes pending = PendingPublishes.of(getCamelContext());
        CommitHoldingClientFactory.install(getCamelContext(), retrySettings.retryTopic(), retrySettings.retryGroupId());

        // A retry record reaches this consumer at most the producer's linger plus the fetch wait after its
        // failure. Both together stay within half the shortest pause, so batching alone makes no attempt late.
        long shortestPauseMs = retry.shortestPauseMs();
        int retryLingerMs = (int) Math.min(retrySettings.publishLingerMs(), shortestPauseMs / 4);
        int fetchWaitMs = (int) Math.min(MAX_FETCH_WAIT_MS, shortestPauseMs / 2 - retryLingerMs);
        from(KafkaUris.batchingConsumer(retrySettings.retryTopic(), retrySettings.retryGroupId(), fetchWaitMs))
                .routeId(ROUTE_ID)
                .routeConfigurationId(NonBlockingRetryErrorPolicy.ID)
                .routeDescription("Attempts failed task records again once they are due; then dead-letters them")
                .process(new RetryRecordUnwrapper()).id("unwrap-retry-record")
                .process(new RetryDueTimeWait(retry)).id("wait-until-due")
                .process(exchange -> metrics.recordRedelivery()).id("count-retry")
                .process(new CountingTaskProcessor(getCamelContext(), "{{task-processing.processor}}", LOG_NAME,
                        settings.processedLogLevel(), " from the retry topic")).id("process-retried-task");

        from(FAILED_ATTEMPT_URI)
                .routeId(PUBLISH_ROUTE_ID)
                .routeConfigurationId(NonBlockingRetryErrorPolicy.PUBLISH_ID)
                .routeDescription("Publishes a failed attempt's record to the retry or the dead-letter topic")
                // Stops after the routes that send to it, so their last failed attempts can still be published.
                .shutdownRoute(ShutdownRoute.Defer)
                .process(new FailedAttemptPublisher(
                        new AsyncPublisher(getCamelContext(),
                                KafkaUris.retryProducer(retrySettings.retryTopic(),
                                        settings.deadLetterPublishTimeoutMs(), retryLingerMs),
                                pending, NonBlockingRetryErrorPolicy.retryPublishFailureLogger(retrySettings, metrics),
                                exchange -> { }),
                        new AsyncPublisher(getCamelContext(),
                                KafkaUris.deadLetterProducer(settings.deadLetterTopic(),
                                        settings.deadLetterPublishTimeoutMs(), retrySettings.publishLingerMs()),
                                pending, NonBlockingRetryErrorPolicy.deadLetterPublishFailureLogger(settings, metrics),
                                exchange -> DeadLetterRecordPreparer.recordAcknowledged(exchange, metrics))))
                .id("publish-failed-attempt");
    }
}
