package io.cameldlq.config;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.Configuration;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommitFactory;
import org.apache.camel.component.kafka.consumer.KafkaManualCommitFactory;

import io.cameldlq.deadletter.log.DeadLetterLogFormatter;
import io.cameldlq.task.ReferenceTaskProcessor;

/** Beans of the pipeline, bound by name for the routes. */
@Configuration
public class PipelineBeans implements CamelConfiguration {

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

    @BindToRegistry("deadLetterLogFormatter")
    public DeadLetterLogFormatter deadLetterLogFormatter() {
        return new DeadLetterLogFormatter();
    }
}
