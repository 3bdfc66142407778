package io.cameldlq.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

import io.cameldlq.kafka.KafkaClientProperties;
import io.cameldlq.kafka.RecordSender;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
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

    @Option(names = {"-p", "--partition"}, paramLabel = "N",
            description = "Partition of every record, from 0. Default: chosen from the key, or spread over the "
                    + "partitions when there is no key.")
    private Integer partition;

    @Option(names = {"-H", "--header"}, paramLabel = "NAME=VALUE",
            description = "Header of every record (UTF-8); repeat for more headers.")
    private List<String> headers = new ArrayList<>();

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Send one record per line of FILE.")
    private Path file;

    @Option(names = {"-b", "--brokers"}, paramLabel = "HOST:PORT[,HOST:PORT...]",
            description = "Kafka brokers. Default: camel.component.kafka.brokers, else localhost:9092.")
    private String brokers;

    @Option(names = "--timeout-ms", paramLabel = "MS", defaultValue = "15000",
            description = "Maximum wait for the broker per record and for the topic lookup, in milliseconds. "
                    + "Default: ${DEFAULT-VALUE}.")
    private long timeoutMs;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String invalid = CommandArguments.firstError(CommandArguments.positive("--timeout-ms", timeoutMs),
                CommandArguments.notNegative("--partition", partition), CommandArguments.brokers(brokers));
        if (invalid != null) {
            err.println(invalid);
            return 2;
        }
        List<Header> recordHeaders = parseHeaders();
        List<String> records;
        try {
            records = readValues();
        } catch (InvalidInputException e) {
            err.println(e.getMessage());
            return 2;
        }
        if (records.isEmpty()) {
            err.println("No records to send: give VALUE arguments, --file FILE, or lines on standard input.");
            return 2;
        }

        String bootstrap;
        String targetTopic;
        Properties producerProperties;
        Properties adminProperties;
        try (ClientSettings settings = new ClientSettings()) {
            bootstrap = brokers != null ? brokers : settings.get("camel.component.kafka.brokers").orElse("localhost:9092");
            targetTopic = topic != null ? topic : settings.get("task-processing.topic").orElse("task-processing");
            producerProperties = KafkaClientProperties.forProducer(settings.kafkaConfiguration());
            adminProperties = KafkaClientProperties.forAdmin(settings.kafkaConfiguration());
        }

        try (TopicLookup topics = new TopicLookup(bootstrap, adminProperties, timeoutMs)) {
            int partitions = topics.require(targetTopic);
            if (partition != null && partition >= partitions) {
                String range = partitions == 1 ? "only partition 0" : "partitions 0 to " + (partitions - 1);
                err.printf("Invalid --partition %d: topic %s has %s%n", partition, targetTopic, range);
                return 2;
            }
        } catch (TopicLookup.TopicUnavailableException e) {
            err.println(e.getMessage());
            return 1;
        } catch (KafkaException e) {
            err.printf("Cannot connect to %s: %s%n", bootstrap, FailureMessages.clause(e));
            return 1;
        }
        return send(bootstrap, targetTopic, producerProperties, recordHeaders, records, out, err);
    }

    private int send(String bootstrap, String targetTopic, Properties producerProperties, List<Header> recordHeaders,
            List<String> records, PrintWriter out, PrintWriter err) {
        byte[] keyBytes = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
        int sent = 0;
        try (RecordSender sender = new RecordSender(bootstrap, producerProperties, timeoutMs)) {
            for (String value : records) {
                RecordMetadata metadata = sender.send(targetTopic, partition, keyBytes,
                        value.getBytes(StandardCharsets.UTF_8), recordHeaders);
                out.printf("sent %s-%d@%d %s%n", metadata.topic(), metadata.partition(), metadata.offset(), value);
                out.flush();
                sent++;
            }
        } catch (IllegalStateException | KafkaException e) {
            err.printf("Sent %d of %d records; the next one failed: %s. Check that a broker runs at %s (--brokers).%n",
                    sent, records.size(), FailureMessages.clause(e), bootstrap);
            return 1;
        }
        return 0;
    }

    private List<Header> parseHeaders() {
        List<Header> parsed = new ArrayList<>();
        for (String header : headers) {
            int separator = header.indexOf('=');
            if (separator <= 0) {
                throw new ParameterException(spec.commandLine(),
                        "Invalid header '" + header + "': expected NAME=VALUE");
            }
            parsed.add(new RecordHeader(header.substring(0, separator),
                    header.substring(separator + 1).getBytes(StandardCharsets.UTF_8)));
        }
        return parsed;
    }

    private List<String> readValues() throws IOException, InvalidInputException {
        if (!values.isEmpty()) {
            return values;
        }
        if (file != null) {
            String source = "--file " + file;
            if (Files.isDirectory(file)) {
                throw new InvalidInputException("Cannot read " + source + ": is a directory");
            }
            try {
                return readLines(Files.readAllBytes(file), source);
            } catch (NoSuchFileException e) {
                throw new InvalidInputException("Cannot read " + source + ": file not found");
            } catch (AccessDeniedException e) {
                throw new InvalidInputException("Cannot read " + source + ": permission denied");
            }
        }
        return readLines(System.in.readAllBytes(), "standard input");
    }

    /**
     * Splits {@code bytes} into lines as {@link java.io.BufferedReader#readLine} does, at {@code \n},
     * {@code \r\n} or {@code \r}, and decodes each line as UTF-8.
     *
     * @throws InvalidInputException naming {@code source} and the line number of the first line that is
     *                               not valid UTF-8
     */
    static List<String> readLines(byte[] bytes, String source) throws InvalidInputException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        List<String> lines = new ArrayList<>();
        int start = 0;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
                end++;
            }
            try {
                lines.add(decoder.decode(ByteBuffer.wrap(bytes, start, end - start)).toString());
            } catch (CharacterCodingException e) {
                throw new InvalidInputException("Invalid " + source + ": line " + (lines.size() + 1)
                        + " is not valid UTF-8");
            }
            boolean crlf = end + 1 < bytes.length && bytes[end] == '\r' && bytes[end + 1] == '\n';
            start = end + (crlf ? 2 : 1);
        }
        return lines;
    }

    /** Input that cannot be sent as records. The message is one line that names the input. */
    static final class InvalidInputException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidInputException(String message) {
            super(message);
        }
    }
}
