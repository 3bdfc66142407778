package io.cameldlq.deadletter;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;

/**
 * Consumer interceptor of the pipeline's consumers that adds a record's timestamp type as the header
 * {@value DeadLetterHeaders#TIMESTAMP_TYPE_CARRIER}, because camel-kafka passes the timestamp to the route
 * but not its type. It leaves out CreateTime, the type of topics with Kafka's default settings, so that such a
 * record costs nothing here and carries no extra header through the route: behind this interceptor a missing
 * header means CreateTime ({@link DeadLetterRecordPreparer#timestampTypeOf}). The dead-letter preparer turns it into the
 * original-timestamp-type header; as a reserved name it never reaches a dead letter itself.
 */
public class TimestampTypeInterceptor implements ConsumerInterceptor<Object, Object> {

    /** The header value of each timestamp type, encoded once instead of once per record. */
    private static final Map<TimestampType, byte[]> VALUES = new EnumMap<>(TimestampType.class);

    static {
        for (TimestampType type : TimestampType.values()) {
            VALUES.put(type, type.name.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
        for (ConsumerRecord<Object, Object> record : records) {
            if (record.timestampType() != TimestampType.CREATE_TIME) {
                // Shared arrays: nothing in the pipeline writes into a header value.
                record.headers().add(DeadLetterHeaders.TIMESTAMP_TYPE_CARRIER, VALUES.get(record.timestampType()));
            }
        }
        return records;
    }

    /**
     * Returns the header value that marks a record of the timestamp type named {@code typeName}, or null when
     * the name is CreateTime or null, because such a record goes without the header.
     */
    public static byte[] headerValue(String typeName) {
        if (typeName == null || typeName.equals(TimestampType.CREATE_TIME.name)) {
            return null;
        }
        return typeName.getBytes(StandardCharsets.UTF_8);
    }

    /** Returns whether {@code endpoint} is a Kafka endpoint whose consumer runs this interceptor. */
    public static boolean isInstalledOn(Endpoint endpoint) {
        if (!(endpoint instanceof KafkaEndpoint kafka)) {
            return false;
        }
        String interceptors = kafka.getConfiguration().getInterceptorClasses();
        return interceptors != null && Arrays.stream(interceptors.split(","))
                .map(String::trim)
                .anyMatch(TimestampTypeInterceptor.class.getName()::equals);
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        // Commits need nothing from this interceptor.
    }

    @Override
    public void close() {
        // Holds no resources.
    }

    @Override
    public void configure(Map<String, ?> configs) {
        // Takes no configuration.
    }
}
