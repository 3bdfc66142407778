package io.cameldlq.config;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.Processor;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommitFactory;
import org.apache.camel.component.kafka.consumer.KafkaManualCommitFactory;
import org.apache.camel.component.kafka.consumer.support.subcription.SubscribeAdapter;

import io.cameldlq.deadletter.log.DeadLetterLogFormatter;
import io.cameldlq.deadletter.log.LoggedRecords;
import io.cameldlq.kafka.AssignmentLoggingSubscribeAdapter;
import io.cameldlq.metrics.PipelineMetrics;
import io.cameldlq.task.ReferenceTaskProcessor;

/** Beans of the pipeline, bound by name for the routes. */
@Configuration
public class PipelineBeans implements CamelConfiguration {

    /** Bytes at the end of an existing dead-letter log that are read for already logged records. */
    private static final long LOGGED_RECORDS_TAIL_BYTES = 16L * 1024 * 1024;
    /** Most recent logged records remembered for recognising a second delivery. */
    private static final int LOGGED_RECORDS_CAPACITY = 100_000;

    /**
     * Makes camel-kafka commit offsets itself, synchronously, after the records before them completed.
     * Without a factory, {@code allowManualCommit=true} commits nothing at all.
     */
    @BindToRegistry("kafkaManualCommitFactory")
    public KafkaManualCommitFactory kafkaManualCommitFactory() {
        return new DefaultKafkaManualCommitFactory();
    }

    /** Logs which partitions each Kafka consumer gets; camel-kafka looks the adapter up under this name. */
    @BindToRegistry(KafkaConstants.KAFKA_SUBSCRIBE_ADAPTER)
    public SubscribeAdapter subscribeAdapter(CamelContext context) {
        return new AssignmentLoggingSubscribeAdapter(context);
    }

    /** Creates the shipped task processor. {@code task-processing.processor} names the bean the route uses. */
    @BindToRegistry("taskProcessor")
    public ReferenceTaskProcessor taskProcessor() {
        return new ReferenceTaskProcessor();
    }

    /**
     * The formatter of the dead-letter-log route. It recognises records already logged to the file that
     * {@code dead-letter-log.directory} and {@code dead-letter-log.file-name} name; if the YAML route writes
     * elsewhere, those keys must name that file too.
     */
    @BindToRegistry("deadLetterLogFormatter")
    public DeadLetterLogFormatter deadLetterLogFormatter(CamelContext context,
            @PropertyInject("dead-letter-log.directory") String directory,
            @PropertyInject("dead-letter-log.file-name") String fileName,
            @PropertyInject(value = "dead-letter-log.format", defaultValue = "text") String format,
            @PropertyInject(value = "dead-letter-log.max-value-bytes", defaultValue = "65536") String maxValueBytes,
            @PropertyInject(value = "dead-letter-log.redact-values", defaultValue = "false") String redact) {
        Path file = Path.of(directory).resolve(fileName);
        String chosenFormat = format.trim().toLowerCase(Locale.ROOT);
        if (!chosenFormat.equals("text") && !chosenFormat.equals("json")) {
            throw new InvalidSettingException("dead-letter-log.format", format, "must be text or json");
        }
        int maxBytes;
        try {
            maxBytes = Integer.parseInt(maxValueBytes.trim());
        } catch (NumberFormatException e) {
            maxBytes = -1;
        }
        if (maxBytes < 0) {
            throw new InvalidSettingException("dead-letter-log.max-value-bytes", maxValueBytes,
                    "must be a whole number from 0 to " + Integer.MAX_VALUE);
        }
        String redactValue = redact.trim().toLowerCase(Locale.ROOT);
        if (!redactValue.equals("true") && !redactValue.equals("false")) {
            throw new InvalidSettingException("dead-letter-log.redact-values", redact, "must be true or false");
        }
        return new DeadLetterLogFormatter(new LoggedRecords(file, LOGGED_RECORDS_TAIL_BYTES, LOGGED_RECORDS_CAPACITY),
                Clock.systemUTC(), chosenFormat.equals("json"), maxBytes, Boolean.parseBoolean(redactValue),
                PipelineMetrics.of(context));
    }

    /**
     * Counts each failed attempt to write a dead-letter log line; the dead-letter-log route's error handler
     * calls it by name ({@code onExceptionOccurredRef}).
     */
    @BindToRegistry("deadLetterLogWriteFailures")
    public Processor deadLetterLogWriteFailures(CamelContext context) {
        PipelineMetrics metrics = PipelineMetrics.of(context);
        return exchange -> metrics.recordLogWriteFailure();
    }
}
