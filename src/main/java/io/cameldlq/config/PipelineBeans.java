package io.cameldlq.config;

import java.nio.file.Path;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommitFactory;
import org.apache.camel.component.kafka.consumer.KafkaManualCommitFactory;

import io.cameldlq.deadletter.log.DeadLetterLogFormatter;
import io.cameldlq.deadletter.log.LoggedRecords;
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

    /** The shipped task processor; {@code task-processing.processor} names the bean the route uses. */
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
    public DeadLetterLogFormatter deadLetterLogFormatter(
            @PropertyInject("dead-letter-log.directory") String directory,
            @PropertyInject("dead-letter-log.file-name") String fileName) {
        Path file = Path.of(directory).resolve(fileName);
        return new DeadLetterLogFormatter(new LoggedRecords(file, LOGGED_RECORDS_TAIL_BYTES, LOGGED_RECORDS_CAPACITY));
    }
}
