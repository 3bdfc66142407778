package io.cameldlq.deadletter;

import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;

/** Topic, partition and offset of a consumed record, as camel-kafka put them on the message. */
public record RecordCoordinates(String topic, Integer partition, Long offset) {

    public static RecordCoordinates of(Message message) {
        return new RecordCoordinates(
                message.getHeader(KafkaConstants.TOPIC, String.class),
                message.getHeader(KafkaConstants.PARTITION, Integer.class),
                message.getHeader(KafkaConstants.OFFSET, Long.class));
    }

    /** Returns the coordinates in Kafka's usual {@code topic-partition@offset} notation. */
    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
