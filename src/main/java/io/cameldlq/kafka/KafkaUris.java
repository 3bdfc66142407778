package io.cameldlq.kafka;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.util.URISupport;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.cameldlq.deadletter.OriginalHeadersInterceptor;
import io.cameldlq.deadletter.TimestampTypeInterceptor;
import io.cameldlq.retry.RetryRecordHeadersInterceptor;

/** Builds the camel-kafka endpoint URIs of the pipeline, so each delivery guarantee is set in one place. */
public final class KafkaUris {

    private KafkaUris() {
    }

    /**
     * Returns a consumer URI that hands out keys and values as raw bytes, starts a new group at the
     * earliest offset, and commits an offset synchronously only after the records before it completed.
     * A record whose exchange fails is not committed: the consumer seeks back to it and polls it again.
     */
    public static String reliableConsumer(String topic, String groupId) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("groupId", groupId);
        options.put("autoOffsetReset", "earliest");
        // Camel commits through its sync commit manager instead of Kafka's background auto-commit.
        options.put("autoCommitEnable", false);
        options.put("allowManualCommit", true);
        // Without this camel-kafka logs a failed exchange and commits past it.
        options.put("breakOnFirstError", true);
        // A failed poll or commit (e.g. during a rebalance) reconnects and resumes at the committed offset.
        // The default, ERROR_HANDLER, routes an empty exchange to the error handler and seeks past the
        // current position, which skips records.
        options.put("pollOnError", "RECONNECT");
        // Camel waits for a running poll when it stops the consumer; a short poll keeps shutdown quick.
        options.put("pollTimeoutMs", 1000);
        options.put("keyDeserializer", ByteArrayDeserializer.class.getName());
        options.put("valueDeserializer", ByteArrayDeserializer.class.getName());
        // Records the timestamp type, which camel-kafka does not pass on, for the dead-letter headers.
        options.put("interceptorClasses", TimestampTypeInterceptor.class.getName());
        return uri(topic, options);
    }

    /**
     * Returns the URI of the dead-letter producer: acknowledged by all in-sync replicas, idempotent,
     * raw bytes, and the original headers restored by {@link OriginalHeadersInterceptor}.
     */
    public static String deadLetterProducer(String topic, int maxBlockMs) {
        return reliableProducer(topic, maxBlockMs, OriginalHeadersInterceptor.class);
    }

    /**
     * Returns the URI of the retry producer of the non-blocking mode: as {@link #deadLetterProducer}, but
     * the source record's headers are restored by {@link RetryRecordHeadersInterceptor}.
     */
    public static String retryProducer(String topic, int maxBlockMs) {
        return reliableProducer(topic, maxBlockMs, RetryRecordHeadersInterceptor.class);
    }

    private static String reliableProducer(String topic, int maxBlockMs, Class<?> interceptor) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("requestRequiredAcks", "all");
        options.put("enableIdempotence", true);
        options.put("maxBlockMs", maxBlockMs);
        options.put("keySerializer", ByteArraySerializer.class.getName());
        options.put("valueSerializer", ByteArraySerializer.class.getName());
        options.put("interceptorClasses", interceptor.getName());
        return uri(topic, options);
    }

    private static String uri(String topic, Map<String, Object> options) {
        return "kafka:" + topic + "?" + URISupport.createQueryString(options);
    }
}
