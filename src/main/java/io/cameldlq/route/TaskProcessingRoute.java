package io.cameldlq.route;

import org.apache.camel.builder.RouteBuilder;

import io.cameldlq.config.PipelineSettings;
import io.cameldlq.config.RetryTopicSettings;
import io.cameldlq.kafka.CommitHoldingClientFactory;
import io.cameldlq.kafka.KafkaUris;

/**
 * Consumes the task topic and hands each record to the task processor bean named by
 * {@code task-processing.processor}. Failures are handled by {@link TaskProcessingErrorPolicy}, or with
 * {@code redelivery.mode = non-blocking} by {@link NonBlockingRetryErrorPolicy}.
 */
public class TaskProcessingRoute extends RouteBuilder {

    public static final String ROUTE_ID = "task-processing";

    private static final String LOG_NAME = "io.cameldlq.route.task-processing";

    @Override
    public void configure() {
        PipelineSettings settings = PipelineSettings.load(getCamelContext());
        boolean nonBlocking = RetryTopicSettings.load(getCamelContext()).nonBlocking();
        String errorPolicy = nonBlocking ? NonBlockingRetryErrorPolicy.ID : TaskProcessingErrorPolicy.ID;
        String uri = KafkaUris.reliableConsumer(settings.sourceTopic(), settings.sourceGroupId(),
                settings.consumers());

        if (nonBlocking) {
            // This mode publishes failed attempts without waiting, so its consumer holds back commits.
            CommitHoldingClientFactory.install(getCamelContext(), settings.sourceTopic(), settings.sourceGroupId());
        }

        from(uri)
                .routeId(ROUTE_ID)
                .routeConfigurationId(errorPolicy)
                .routeDescription("Processes each task record; failures are retried, then dead-lettered")
                .process(new CountingTaskProcessor(getCamelContext(), "{{task-processing.processor}}", LOG_NAME,
                        settings.processedLogLevel(), "")).id("process-task");
    }
}
