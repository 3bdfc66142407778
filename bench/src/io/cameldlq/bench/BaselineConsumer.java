package io.cameldlq.bench;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The baseline: a plain kafka-clients consumer loop with the delivery guarantees of camel-dlq. Auto-commit
 * is off and the offsets of a poll batch are committed synchronously after every record of the batch was
 * processed or dead-lettered. A failing record is attempted {@code --attempts} times, {@code --delay-ms}
 * apart, on the consumer thread, then published to the dead-letter topic with acks=all, and the commit
 * waits for that acknowledgement. A failed publish ends the process without a commit.
 *
 * <p>Usage: {@code BaselineConsumer --brokers HOST:PORT --topic T --group G --dead-letter-topic D
 * [--attempts 3] [--delay-ms 1000]}. SIGTERM stops it after the current batch.
 */
public final class BaselineConsumer {

    /** Maximum size of the stack trace header of a dead letter, in bytes: camel-dlq's default. */
    private static final int STACK_TRACE_MAX_BYTES = 4096;

    private final Map<String, String> options;
    private final int attempts;
    private final long delayMs;
    private volatile boolean running = true;

    private BaselineConsumer(Map<String, String> options) {
        this.options = options;
        this.attempts = Integer.parseInt(options.getOrDefault("--attempts", "3"));
        this.delayMs = Long.parseLong(options.getOrDefault("--delay-ms", "1000"));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        for (String required : List.of("--brokers", "--topic", "--group", "--dead-letter-topic")) {
            if (!options.containsKey(required)) {
                System.err.println("Missing option " + required + ". Usage: BaselineConsumer --brokers HOST:PORT "
                        + "--topic TOPIC --group GROUP --dead-letter-topic TOPIC [--attempts 3] [--delay-ms 1000]");
                System.exit(2);
            }
        }
        new BaselineConsumer(options).run();
    }

    private void run() throws InterruptedException, ExecutionException {
        Properties consumerProperties = new Properties();
        consumerProperties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.get("--brokers"));
        consumerProperties.put(ConsumerConfig.GROUP_ID_CONFIG, options.get("--group"));
        consumerProperties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumerProperties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProperties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumerProperties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        Properties producerProperties = new Properties();
        producerProperties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.get("--brokers"));
        producerProperties.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProperties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producerProperties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producerProperties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());

        Thread mainThread = Thread.currentThread();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties);
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                running = false;
                consumer.wakeup();
                try {
                    mainThread.join(30_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "baseline-shutdown"));
            consumer.subscribe(List.of(options.get("--topic")));
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofSeconds(1));
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    processWithRetries(record, producer);
                }
                if (!records.isEmpty()) {
                    consumer.commitSync();
                }
            }
        } catch (WakeupException e) {
            // SIGTERM during a poll or commit: stop, as the loop does after a batch.
        }
    }

    private void processWithRetries(ConsumerRecord<byte[], byte[]> record, KafkaProducer<byte[], byte[]> producer)
            throws InterruptedException, ExecutionException {
        RuntimeException failure = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                BenchTask.instance().process(record.value(), record.timestamp());
                return;
            } catch (RuntimeException e) {
                failure = e;
                if (attempt < attempts) {
                    Thread.sleep(delayMs);
                }
            }
        }
        publishDeadLetter(record, failure, producer);
    }

    /** Publishes the record unchanged plus diagnostic headers and waits for the acknowledgement of all replicas. */
    private void publishDeadLetter(ConsumerRecord<byte[], byte[]> record, RuntimeException failure,
            KafkaProducer<byte[], byte[]> producer) throws InterruptedException, ExecutionException {
        Headers headers = new RecordHeaders(record.headers().toArray());
        headers.add("dlq-original-topic", utf8(record.topic()));
        headers.add("dlq-original-partition", utf8(String.valueOf(record.partition())));
        headers.add("dlq-original-offset", utf8(String.valueOf(record.offset())));
        headers.add("dlq-attempts", utf8(String.valueOf(attempts)));
        headers.add("dlq-exception-class", utf8(failure.getClass().getName()));
        headers.add("dlq-exception-message", utf8(String.valueOf(failure.getMessage())));
        headers.add("dlq-exception-stacktrace", stackTrace(failure));
        headers.add("dlq-failed-at", utf8(String.valueOf(System.currentTimeMillis())));
        producer.send(new ProducerRecord<>(options.get("--dead-letter-topic"), record.partition(), record.timestamp(),
                record.key(), record.value(), headers)).get();
    }

    private static byte[] stackTrace(Throwable failure) {
        StringWriter text = new StringWriter();
        failure.printStackTrace(new PrintWriter(text));
        byte[] bytes = utf8(text.toString());
        if (bytes.length <= STACK_TRACE_MAX_BYTES) {
            return bytes;
        }
        // Cut like camel-dlq's header; a cut inside a multi-byte character does not matter for the benchmark.
        byte[] cut = new byte[STACK_TRACE_MAX_BYTES];
        System.arraycopy(bytes, 0, cut, 0, STACK_TRACE_MAX_BYTES);
        return cut;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
