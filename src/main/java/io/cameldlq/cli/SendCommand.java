package io.cameldlq.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

import io.cameldlq.kafka.KafkaClientProperties;
import io.cameldlq.kafka.RecordSender;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code send}: produces records, one per value, and prints where each one landed. */
@Command(name = "send", mixinStandardHelpOptions = true, versionProvider = CommandLineTool.Version.class,
        description = "Send records to a topic, one per VALUE argument, or one per line of --file or of "
                + "standard input when no VALUE is given. Prints the partition and offset of each record.")
final class SendCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "VALUE", arity = "0..*", description = "Record values (UTF-8).")
    private List<String> values = new ArrayList<>();

    @Option(names = {"-t", "--topic"}, paramLabel = "TOPIC",
            description = "Topic to send to. Default: task-processing.topic from application.properties.")
    private String topic;

    @Option(names = {"-k", "--key"}, paramLabel = "KEY", description = "Key of every record (UTF-8). Default: none.")
    private String key;

    @Option(names = {"-H", "--header"}, paramLabel = "NAME=VALUE",
            description = "Header of every record (UTF-8); repeat for more headers.")
    private List<String> headers = new ArrayList<>();

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Send one record per line of FILE.")
    private Path file;

    @Option(names = {"-b", "--brokers"}, paramLabel = "HOST:PORT[,HOST:PORT...]",
            description = "Kafka brokers. Default: camel.component.kafka.brokers, else localhost:9092.")
    private String brokers;

    @Option(names = "--timeout-ms", paramLabel = "MS", defaultValue = "15000",
            description = "Maximum wait for the broker per record, in milliseconds. Default: ${DEFAULT-VALUE}.")
    private long timeoutMs;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Header> recordHeaders = parseHeaders();
        List<String> records = readValues();
        if (records.isEmpty()) {
            err.println("No records to send: give VALUE arguments, --file FILE, or lines on standard input.");
            return 2;
        }

        String bootstrap;
        String targetTopic;
        Properties clientProperties;
        try (ClientSettings settings = new ClientSettings()) {
            bootstrap = brokers != null ? brokers : settings.get("camel.component.kafka.brokers").orElse("localhost:9092");
            targetTopic = topic != null ? topic : settings.get("task-processing.topic").orElse("task-processing");
            clientProperties = KafkaClientProperties.forProducer(settings.kafkaConfiguration());
        }

        byte[] keyBytes = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
        int sent = 0;
        try (RecordSender sender = new RecordSender(bootstrap, clientProperties, timeoutMs)) {
            for (String value : records) {
                RecordMetadata metadata = sender.send(targetTopic, keyBytes, value.getBytes(StandardCharsets.UTF_8),
                        recordHeaders);
                out.printf("sent %s-%d@%d %s%n", metadata.topic(), metadata.partition(), metadata.offset(), value);
                out.flush();
                sent++;
            }
        } catch (IllegalStateException e) {
            err.printf("Sent %d of %d records; the next one failed: %s. Check that a broker runs at %s (--brokers).%n",
                    sent, records.size(), e.getMessage(), bootstrap);
            return 1;
        }
        return 0;
    }

    private List<Header> parseHeaders() {
        List<Header> parsed = new ArrayList<>();
        for (String header : headers) {
            int separator = header.indexOf('=');
            if (separator <= 0) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "Invalid header '" + header + "': expected NAME=VALUE");
            }
            parsed.add(new RecordHeader(header.substring(0, separator),
                    header.substring(separator + 1).getBytes(StandardCharsets.UTF_8)));
        }
        return parsed;
    }

    private List<String> readValues() throws IOException {
        if (!values.isEmpty()) {
            return values;
        }
        if (file != null) {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        }
        List<String> lines = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lines.add(line);
        }
        return lines;
    }
}
