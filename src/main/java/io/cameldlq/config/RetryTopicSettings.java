package io.cameldlq.config;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * The keys of the non-blocking retry mode, read and validated like {@link PipelineSettings}.
 *
 * @param mode         {@value RedeliveryMode#KEY}: where retries run
 * @param retryTopic   {@value #RETRY_TOPIC_KEY}: topic of records waiting for their next attempt
 * @param retryGroupId consumer group of the task-processing-retry route: {@code task-processing.group-id}
 *                     with {@code -retry} appended
 * @param publishLingerMs {@value #PUBLISH_LINGER_KEY}: how long the producer of retry records and dead letters
 *                     waits for more records to send in one request
 */
public record RetryTopicSettings(RedeliveryMode mode, String retryTopic, String retryGroupId, int publishLingerMs) {

    public static final String RETRY_TOPIC_KEY = "redelivery.retry-topic";
    public static final String PUBLISH_LINGER_KEY = "redelivery.publish-linger-ms";

    public static RetryTopicSettings load(CamelContext context) {
        PropertiesComponent properties = context.getPropertiesComponent();
        RedeliveryMode mode = RedeliveryMode.of(properties.resolveProperty(RedeliveryMode.KEY)
                .orElse(RedeliveryMode.BLOCKING.propertyValue()));
        String sourceTopic = PipelineSettings.text(properties, "task-processing.topic", "task-processing");
        String sourceGroupId = PipelineSettings.text(properties, "task-processing.group-id", "task-processing");
        String retryTopic = PipelineSettings.text(properties, RETRY_TOPIC_KEY, sourceTopic + "-retry");
        String deadLetterTopic = PipelineSettings.text(properties, "dead-letter.topic", "dead-letter-task-processing");
        if (retryTopic.equals(sourceTopic) || retryTopic.equals(deadLetterTopic)) {
            throw new InvalidSettingException(RETRY_TOPIC_KEY, retryTopic,
                    "must differ from task-processing.topic and dead-letter.topic");
        }
        int publishLingerMs = (int) PipelineSettings.number(properties, PUBLISH_LINGER_KEY, 50, 0, 1_000);
        return new RetryTopicSettings(mode, retryTopic, sourceGroupId + "-retry", publishLingerMs);
    }

    /** Returns whether failed attempts go through the retry topic. */
    public boolean nonBlocking() {
        return mode == RedeliveryMode.NON_BLOCKING;
    }
}
