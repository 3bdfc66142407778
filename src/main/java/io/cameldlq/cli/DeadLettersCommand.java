package io.cameldlq.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;

import org.apache.camel.util.json.DeserializationException;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import io.cameldlq.deadletter.Diagnostics;
import io.cameldlq.deadletter.log.DeadLetterLogLine;
import io.cameldlq.kafka.KafkaClientProperties;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dead-letters}: lists the records of the dead-letter topic with their diagnostics. */
@Command(name = "dead-letters", mixinStandardHelpOptions = true, versionProvider = CommandLineTool.Version.class,
        description = "List the dead letters currently in the dead-letter topic, oldest first per partition, "
                + "with why and where each failed. Reads without a consumer group, so it commits nothing. "
                + "--format json prints the dead-letter log's JSON Lines, with the record's timestamp as time, "
                + "plus the dead letter's own topic, partition and offset, root cause, failure times, consumer "
                + "group, instance id and redrive count.")
final class DeadLettersCommand implements Callable<Integer> {

    private static final String ROW_FORMAT = "%-22s %-34s %-20s %-17s %-8s %-8s %-40s %s%n";

    @Spec
    private CommandSpec spec;

    @Option(names = {"-t", "--topic"}, paramLabel = "TOPIC",
            description = "Dead-letter topic. Default: dead-letter.topic from application.properties.")
    private String topic;

    @Option(names = {"-b", "--brokers"}, paramLabel = "HOST:PORT[,HOST:PORT...]",
            description = "Kafka brokers. Default: camel.component.kafka.brokers, else localhost:9092.")
    private String brokers;

    @Option(names = "--format", paramLabel = "table|json", defaultValue = "table",
            description = "Output: a table, or JSON Lines with the diagnostics and the value. Default: ${DEFAULT-VALUE}.")
    private String format;

    @Mixin
    private DeadLetterFilter filter = new DeadLetterFilter();

    @Option(names = "--limit", paramLabel = "N", description = "Print at most N dead letters. Default: all.")
    private Integer limit;

    @Option(names = "--timeout-ms", paramLabel = "MS", defaultValue = "15000",
            description = "Maximum wait for the broker, in milliseconds. Default: ${DEFAULT-VALUE}.")
    private long timeoutMs;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!format.equals("table") && !format.equals("json")) {
            err.println("Invalid --format '" + format + "': expected table or json");
            return 2;
        }
        String invalid = CommandArguments.firstError(filter.validate(), CommandArguments.notNegative("--limit", limit),
                CommandArguments.positive("--timeout-ms", timeoutMs), CommandArguments.brokers(brokers));
        if (invalid != null) {
            err.println(invalid);
            return 2;
        }

        String bootstrap;
        String deadLetterTopic;
        Properties properties;
        try (ClientSettings settings = new ClientSettings()) {
            bootstrap = brokers != null ? brokers : settings.get("camel.component.kafka.brokers").orElse("localhost:9092");
            deadLetterTopic = topic != null ? topic
                    : settings.get("dead-letter.topic").orElse("dead-letter-task-processing");
            properties = KafkaClientProperties.forAdmin(settings.kafkaConfiguration());
        }
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(timeoutMs));
        properties.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(Math.min(timeoutMs, 30_000)));

        int printed = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(deadLetterTopic, Duration.ofMillis(timeoutMs));
            if (infos == null || infos.isEmpty()) {
                err.println("Topic " + deadLetterTopic + " not found at " + bootstrap);
                return 1;
            }
            if (format.equals("table")) {
                out.printf(ROW_FORMAT, "DEAD LETTER", "ORIGINAL", "KEY", "REASON", "ATTEMPTS", "REDRIVES", "EXCEPTION",
                        "LAST FAILURE");
            }
            List<TopicPartition> partitions = new ArrayList<>();
            infos.forEach(info -> partitions.add(new TopicPartition(deadLetterTopic, info.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && (limit == null || printed < limit)) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.offset() >= end.get(new TopicPartition(record.topic(), record.partition()))) {
                        continue;
                    }
                    Diagnostics diagnostics = Diagnostics.read(record.headers());
                    if (filter.matches(record, diagnostics) && (limit == null || printed < limit)) {
                        out.print(format.equals("json") ? json(record, diagnostics) : row(record, diagnostics));
                        printed++;
                    }
                }
            }
        } catch (KafkaException e) {
            err.println("Cannot read topic " + deadLetterTopic + " at " + bootstrap + ": " + FailureMessages.clause(e));
            return 1;
        }
        out.flush();
        err.printf("%d dead letters listed from %s%n", printed, deadLetterTopic);
        return 0;
    }

    private static boolean hasOriginalCoordinates(Diagnostics diagnostics) {
        return diagnostics.topic() != null && diagnostics.partition() != null && diagnostics.offset() != null;
    }

    private static String row(ConsumerRecord<byte[], byte[]> record, Diagnostics diagnostics) {
        String original = hasOriginalCoordinates(diagnostics)
                ? diagnostics.topic() + "-" + diagnostics.partition() + "@" + diagnostics.offset() : "-";
        String keyText = record.key() == null ? "null" : new String(record.key(), StandardCharsets.UTF_8);
        return String.format(ROW_FORMAT,
                record.partition() + "@" + record.offset(), original, keyText.replaceAll("\\p{Cntrl}", "?"),
                orDash(diagnostics.reason()), orDash(diagnostics.attempts()),
                RedriveCommand.redriveCount(record.headers()), orDash(diagnostics.exceptionClass()),
                orDash(diagnostics.lastFailure()));
    }

    /**
     * Returns the dead-letter log's JSON line of the record, with the record's timestamp as {@code time},
     * extended by the diagnostics that the log line lacks.
     */
    private static String json(ConsumerRecord<byte[], byte[]> record, Diagnostics diagnostics) {
        // As in the log route: the original coordinates when all three are known, else the record's own.
        boolean original = hasOriginalCoordinates(diagnostics);
        DeadLetterLogLine line = new DeadLetterLogLine(Instant.ofEpochMilli(record.timestamp()),
                original ? diagnostics.topic() : record.topic(),
                original ? diagnostics.partition() : record.partition(),
                original ? diagnostics.offset() : record.offset(),
                diagnostics.attempts(), record.key(), record.value(),
                diagnostics.exceptionClass() == null ? null
                        : diagnostics.exceptionClass() + ": " + diagnostics.exceptionMessage(),
                diagnostics.reason(), null, false);
        JsonObject json;
        try {
            json = (JsonObject) Jsoner.deserialize(line.formatJson());
        } catch (DeserializationException e) {
            throw new IllegalStateException("The dead-letter log wrote JSON that does not parse", e);
        }
        json.put("deadLetterTopic", record.topic());
        json.put("deadLetterPartition", record.partition());
        json.put("deadLetterOffset", record.offset());
        putIfPresent(json, "rootCause", diagnostics.rootCauseClass());
        putIfPresent(json, "firstFailure", diagnostics.firstFailure());
        putIfPresent(json, "lastFailure", diagnostics.lastFailure());
        putIfPresent(json, "consumerGroup", diagnostics.consumerGroup());
        putIfPresent(json, "instanceId", diagnostics.instanceId());
        json.put("redriveCount", RedriveCommand.redriveCount(record.headers()));
        // As in the log: JSON allows these separators raw in strings, but line-oriented tools break lines there.
        return json.toJson().replace("\u2028", "\\u2028").replace("\u2029", "\\u2029") + "\n";
    }

    private static void putIfPresent(JsonObject json, String name, Object value) {
        if (value != null) {
            json.put(name, value.toString());
        }
    }

    private static String orDash(Object value) {
        return value == null ? "-" : value.toString();
    }
}
