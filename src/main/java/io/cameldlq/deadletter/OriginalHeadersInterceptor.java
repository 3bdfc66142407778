package io.cameldlq.deadletter;

import java.util.Map;

import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Producer interceptor of the dead-letter producer that gives the dead-letter record the original
 * record's headers exactly: names, bytes, order, duplicates and null values, including names that
 * Camel filters out (such as {@code camel*} or {@code kafka.*}) and never interprets here.
 *
 * <p>Original headers named like camel-dlq's diagnostic headers are dropped, so a record dead-lettered
 * again carries one current set of diagnostics instead of a growing list.
 */
public class OriginalHeadersInterceptor implements ProducerInterceptor<Object, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(OriginalHeadersInterceptor.class);

    @Override
    public ProducerRecord<Object, Object> onSend(ProducerRecord<Object, Object> record) {
        Header carrier = record.headers().lastHeader(DeadLetterHeaders.ORIGINAL_HEADERS_CARRIER);
        if (carrier == null) {
            return record;
        }
        RecordHeaders headers = new RecordHeaders();
        try {
            for (Header original : OriginalHeaders.decode(carrier.value())) {
                if (keepsOriginal(original.key())) {
                    headers.add(original);
                }
            }
        } catch (IllegalArgumentException e) {
            // Kafka would send the record unchanged, carrier included, if this method threw.
            LOG.warn("Cannot restore the original headers of a dead letter for topic {}; it is sent with the "
                    + "diagnostic headers only: {}", record.topic(), e.getMessage());
        }
        for (Header added : record.headers()) {
            if (!added.key().equals(DeadLetterHeaders.ORIGINAL_HEADERS_CARRIER)) {
                headers.add(added);
            }
        }
        return new ProducerRecord<>(record.topic(), record.partition(), record.timestamp(), record.key(),
                record.value(), headers);
    }

    /** Returns whether the original header {@code name} is kept; reserved names are replaced by the producer's. */
    protected boolean keepsOriginal(String name) {
        return !DeadLetterHeaders.isReserved(name);
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
        // Acknowledgements are handled by the Camel producer.
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
