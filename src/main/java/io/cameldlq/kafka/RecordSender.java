package io.cameldlq.kafka;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces records with raw byte keys and values and waits for each acknowledgement ({@code acks=all},
 * idempotent). Used by the {@code send} command and the dev profile's sample tasks.
 */
public final class RecordSender implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final long timeoutMs;

    public RecordSender(String bootstrapServers, Properties clientProperties, long timeoutMs) {
        Properties properties = new Properties();
        properties.putAll(clientProperties);
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(timeoutMs));
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(timeoutMs, 30_000)));
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(Math.min(timeoutMs, 30_000)));
        this.producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
        this.timeoutMs = timeoutMs;
    }

    /**
     * Sends one record and returns its partition and offset.
     *
     * @throws IllegalStateException if the broker did not acknowledge the record in time or rejected it
     */
    public RecordMetadata send(String topic, byte[] key, byte[] value, List<Header> headers) {
        return send(topic, null, key, value, headers);
    }

    /**
     * Sends one record to {@code partition}, or to the partition the producer chooses when it is null, and
     * returns its partition and offset.
     *
     * @throws IllegalStateException if the broker did not acknowledge the record in time or rejected it
     */
    public RecordMetadata send(String topic, Integer partition, byte[] key, byte[] value, List<Header> headers) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, partition, key, value, headers);
        try {
            return producer.send(record).get(Math.max(timeoutMs, 30_000) + 5_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Failed to send to topic " + topic + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Timed out sending to topic " + topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while sending to topic " + topic, e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
