package io.cameldlq.deadletter;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;

/**
 * Consumer interceptor of the task-processing consumer that adds each record's timestamp type as the header
 * {@value DeadLetterHeaders#TIMESTAMP_TYPE_CARRIER}, because camel-kafka passes the timestamp to the route
 * but not its type. The dead-letter preparer turns it into the original-timestamp-type header; as a
 * reserved name it never reaches a dead letter itself.
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
            // Shared arrays: nothing in the pipeline writes into a header value.
            record.headers().add(DeadLetterHeaders.TIMESTAMP_TYPE_CARRIER, VALUES.get(record.timestampType()));
        }
        return records;
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
