package io.cameldlq.cli;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Looks topics up with an Admin client, so that a command reports a missing topic at once instead of
 * waiting for a producer's metadata timeout. Remembers the topics found, so each is looked up once.
 */
final class TopicLookup implements AutoCloseable {

    /** A topic that cannot be used. The message is one line that names the topic and the brokers. */
    static final class TopicUnavailableException extends Exception {
        private static final long serialVersionUID = 1L;

        TopicUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Admin admin;
    private final String bootstrap;
    private final long timeoutMs;
    /** Partition count of each topic found. */
    private final Map<String, Integer> found = new HashMap<>();

    /**
     * Creates the Admin client. {@code timeoutMs} bounds each lookup.
     *
     * @throws org.apache.kafka.common.KafkaException if the client settings are invalid
     */
    TopicLookup(String bootstrap, Properties adminProperties, long timeoutMs) {
        Properties properties = new Properties();
        properties.putAll(adminProperties);
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        int requestTimeoutMs = (int) Math.min(timeoutMs, Integer.MAX_VALUE);
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(requestTimeoutMs));
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(requestTimeoutMs));
        this.admin = Admin.create(properties);
        this.bootstrap = bootstrap;
        this.timeoutMs = timeoutMs;
    }

    /** Checks that {@code topic} exists and can be described, and returns its partition count. */
    int require(String topic) throws TopicUnavailableException, InterruptedException {
        Integer known = found.get(topic);
        if (known != null) {
            return known;
        }
        DescribeTopicsOptions options = new DescribeTopicsOptions().timeoutMs((int) Math.min(timeoutMs, Integer.MAX_VALUE));
        try {
            // The future ends by the options' timeout; the extra wait only guards against a client that hangs.
            int partitions = admin.describeTopics(List.of(topic), options).allTopicNames()
                    .get(timeoutMs + 5_000, TimeUnit.MILLISECONDS).get(topic).partitions().size();
            found.put(topic, partitions);
            return partitions;
        } catch (ExecutionException e) {
            throw unavailable(topic, e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw unavailable(topic, new TimeoutException("timed out", e));
        }
    }

    private TopicUnavailableException unavailable(String topic, Throwable cause) {
        if (cause instanceof UnknownTopicOrPartitionException) {
            return new TopicUnavailableException("Topic " + topic + " not found at " + bootstrap, cause);
        }
        if (cause instanceof TimeoutException) {
            return new TopicUnavailableException("Timed out after " + timeoutMs + " ms looking up topic " + topic
                    + " at " + bootstrap + ". Check that a broker runs there (--brokers)", cause);
        }
        if (cause instanceof TopicAuthorizationException) {
            return new TopicUnavailableException("Not authorized to describe topic " + topic + " at " + bootstrap,
                    cause);
        }
        return new TopicUnavailableException("Cannot look up topic " + topic + " at " + bootstrap + ": "
                + FailureMessages.clause(cause), cause);
    }

    @Override
    public void close() {
        admin.close(Duration.ofMillis(Math.min(timeoutMs, 5_000)));
    }
}
