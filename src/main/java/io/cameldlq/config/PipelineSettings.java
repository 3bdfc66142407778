package io.cameldlq.config;

import java.util.Optional;

import org.apache.camel.CamelContext;
import org.apache.camel.LoggingLevel;
import org.apache.camel.spi.PropertiesComponent;

import io.cameldlq.deadletter.HeaderDialect;

/**
 * The camel-dlq keys of {@code application.properties}, read once and validated. An invalid value stops
 * start-up with an {@link InvalidSettingException} that names the key.
 *
 * @param sourceTopic                  topic the task-processing route consumes
 * @param sourceGroupId                consumer group of the task-processing route
 * @param consumers                    Kafka consumers of the task-processing route in this instance, each
 *                                     with its own thread and its share of the topic's partitions
 * @param processedLogLevel            level of the line logged per processed record
 * @param deadLetterTopic              topic that receives records whose processing failed
 * @param maximumRedeliveries          retries after the first failed attempt
 * @param redeliveryDelayMs            pause between two attempts, in milliseconds
 * @param deadLetterPublishTimeoutMs   longest wait for dead-letter topic metadata or buffer space, in milliseconds
 * @param logGroupId                   consumer group of the dead-letter-log route
 * @param provisionTopics              whether start-up creates missing topics
 * @param partitions                   partitions of topics created at start-up
 * @param replicationFactor            replication factor of topics created at start-up
 * @param brokerTimeoutMs              longest wait for the broker at start-up, in milliseconds
 * @param instanceId                   name of this application instance in dead-letter headers
 * @param stackTraceMaxBytes           longest stack trace header of a dead letter, in bytes
 * @param headerDialect                names and encodings of the dead letters' diagnostic headers
 */
public record PipelineSettings(
        String sourceTopic,
        String sourceGroupId,
        int consumers,
        LoggingLevel processedLogLevel,
        String deadLetterTopic,
        int maximumRedeliveries,
        long redeliveryDelayMs,
        int deadLetterPublishTimeoutMs,
        String logGroupId,
        boolean provisionTopics,
        int partitions,
        short replicationFactor,
        int brokerTimeoutMs,
        String instanceId,
        int stackTraceMaxBytes,
        HeaderDialect headerDialect) {

    /** Maximum consumers of one instance, because each is a thread with its own connections to the brokers. */
    static final int MAX_CONSUMERS = 256;

    public static PipelineSettings load(CamelContext context) {
        PropertiesComponent properties = context.getPropertiesComponent();
        return new PipelineSettings(
                text(properties, "task-processing.topic", "task-processing"),
                text(properties, "task-processing.group-id", "task-processing"),
                (int) number(properties, "task-processing.consumers", 1, 1, MAX_CONSUMERS),
                level(properties, "task-processing.processed-log-level", LoggingLevel.DEBUG),
                text(properties, "dead-letter.topic", "dead-letter-task-processing"),
                (int) number(properties, "redelivery.maximum-redeliveries", 2, 0, 1_000),
                number(properties, "redelivery.delay-ms", 1000, 0, 3_600_000),
                (int) number(properties, "dead-letter.publish-timeout-ms", 10_000, 1, Integer.MAX_VALUE),
                text(properties, "dead-letter-log.group-id", "dead-letter-log"),
                bool(properties, "topics.provision", true),
                (int) number(properties, "topics.partitions", 3, 1, 100_000),
                (short) number(properties, "topics.replication-factor", 1, 1, Short.MAX_VALUE),
                (int) number(properties, "broker.timeout-ms", 30_000, 1, Integer.MAX_VALUE),
                text(properties, "application.instance-id", defaultInstanceId()),
                (int) number(properties, "dead-letter.stack-trace-max-bytes", 4096, 64, 1_000_000),
                HeaderDialect.of(properties.resolveProperty(HeaderDialect.KEY).orElse("camel-dlq")));
    }

    /** Returns {@code HOST-PID}, which distinguishes the processes of a group. */
    private static String defaultInstanceId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "unknown-host";
        }
        return host + "-" + ProcessHandle.current().pid();
    }

    static String text(PropertiesComponent properties, String key, String defaultValue) {
        String value = properties.resolveProperty(key).map(String::trim).orElse(defaultValue);
        if (value.isEmpty()) {
            throw new InvalidSettingException(key, value, "must not be empty");
        }
        return value;
    }

    static long number(PropertiesComponent properties, String key, long defaultValue, long min, long max) {
        Optional<String> raw = properties.resolveProperty(key).map(String::trim);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        long value;
        try {
            value = Long.parseLong(raw.get());
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(key, raw.get(), "must be a whole number");
        }
        if (value < min || value > max) {
            throw new InvalidSettingException(key, raw.get(), "must be between " + min + " and " + max);
        }
        return value;
    }

    private static LoggingLevel level(PropertiesComponent properties, String key, LoggingLevel defaultValue) {
        Optional<String> raw = properties.resolveProperty(key).map(String::trim);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            return LoggingLevel.valueOf(raw.get().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(key, raw.get(), "must be one of OFF, ERROR, WARN, INFO, DEBUG, TRACE");
        }
    }

    static boolean bool(PropertiesComponent properties, String key, boolean defaultValue) {
        Optional<String> raw = properties.resolveProperty(key).map(String::trim);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        if (raw.get().equalsIgnoreCase("true") || raw.get().equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(raw.get());
        }
        throw new InvalidSettingException(key, raw.get(), "must be true or false");
    }
}
