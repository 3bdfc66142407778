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

    /** Bytes a batching consumer's fetch waits for: about a hundred records of a few hundred bytes. */
    static final int BATCH_FETCH_MIN_BYTES = 65_536;

    /**
     * Shortest fetch wait worth batching for. An idle batching consumer fetches once per wait, so a shorter one
     * would cost more than 5 empty fetches a second, where a plain consumer's fetch waits 500 ms for data.
     */
    static final int MIN_BATCH_FETCH_WAIT_MS = 200;

    private KafkaUris() {
    }

    /**
     * Returns a consumer URI that hands out keys and values as raw bytes, starts a new group at the
     * earliest offset, and commits an offset synchronously only after the records before it completed.
     * A record whose exchange fails is not committed: the consumer seeks back to it and polls it again.
     */
    public static String reliableConsumer(String topic, String groupId) {
        return reliableConsumer(topic, groupId, 1);
    }

    /**
     * Returns a {@link #reliableConsumer} URI that runs {@code consumers} consumers, each on its own thread.
     * The group gives each partition to one of them, so a partition's records keep their order, and a consumer
     * busy with one record, e.g. waiting to retry it, holds up only its own partitions.
     */
    public static String reliableConsumer(String topic, String groupId, int consumers) {
        Map<String, Object> options = reliableConsumerOptions(groupId);
        if (consumers > 1) {
            options.put("consumersCount", consumers);
        }
        return uri(topic, options);
    }

    /**
     * Returns a {@link #reliableConsumer} URI whose fetches wait up to {@code fetchWaitMaxMs} for
     * {@value #BATCH_FETCH_MIN_BYTES} bytes, for a topic that gets records a few at a time. Fewer and larger
     * fetches mean fewer polls, commits and broker requests per record, at the price of up to
     * {@code fetchWaitMaxMs} more latency. Below {@value #MIN_BATCH_FETCH_WAIT_MS} ms it is a plain
     * {@link #reliableConsumer}.
     */
    public static String batchingConsumer(String topic, String groupId, int fetchWaitMaxMs) {
        Map<String, Object> options = reliableConsumerOptions(groupId);
        if (fetchWaitMaxMs >= MIN_BATCH_FETCH_WAIT_MS) {
            options.put("fetchMinBytes", BATCH_FETCH_MIN_BYTES);
            options.put("fetchWaitMaxMs", fetchWaitMaxMs);
        }
        return uri(topic, options);
    }

    private static Map<String, Object> reliableConsumerOptions(String groupId) {
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
        return options;
    }

    /**
     * Returns the URI of the dead-letter producer: acknowledged by all in-sync replicas, idempotent,
     * raw bytes, and the original headers restored by {@link OriginalHeadersInterceptor}. It waits up to
     * {@code lingerMs} to send more records in one request. With 0 it sends each at once, as a sender that
     * waits for the acknowledgement needs.
     */
    public static String deadLetterProducer(String topic, int maxBlockMs, int lingerMs) {
        return reliableProducer(topic, maxBlockMs, lingerMs, OriginalHeadersInterceptor.class);
    }

    /**
     * Returns the URI of the retry producer of the non-blocking mode: as {@link #deadLetterProducer}, but
     * the source record's headers are restored by {@link RetryRecordHeadersInterceptor}.
     */
    public static String retryProducer(String topic, int maxBlockMs, int lingerMs) {
        return reliableProducer(topic, maxBlockMs, lingerMs, RetryRecordHeadersInterceptor.class);
    }

    private static String reliableProducer(String topic, int maxBlockMs, int lingerMs, Class<?> interceptor) {
        Map<String, Object> options = new LinkedHashMap<>();
        if (lingerMs > 0) {
            options.put("lingerMs", lingerMs);
        }
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
