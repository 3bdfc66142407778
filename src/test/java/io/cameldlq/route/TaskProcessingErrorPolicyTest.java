package io.cameldlq.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cameldlq.config.RetryPolicy;
import io.cameldlq.deadletter.DeadLetterPartitions;
import io.cameldlq.deadletter.DeadLetterPublishFailureLogger;
import io.cameldlq.deadletter.DeadLetterRecordPreparer;
import io.cameldlq.deadletter.HeaderDialect;
import io.cameldlq.metrics.PipelineMetrics;
import io.cameldlq.task.TaskFailedException;

/**
 * The blocking mode's watch on failed dead-letter publishes, in a route whose dead-letter channel publishes to
 * a direct endpoint in place of Kafka. Reads the ERROR lines from standard error, where slf4j-simple writes them.
 */
class TaskProcessingErrorPolicyTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final PipelineMetrics metrics = new PipelineMetrics(registry, "tasks", "dead-tasks");
    private final ByteArrayOutputStream errors = new ByteArrayOutputStream();
    private PrintStream standardError;
    private CamelContext context;
    private volatile boolean publishFails;

    @BeforeEach
    void start() throws Exception {
        standardError = System.err;
        System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
        DeadLetterRecordPreparer preparer = new DeadLetterRecordPreparer("dead-tasks", "task-group", "instance-1",
                4096, new RetryPolicy(0, 0, 1.0, 0, 0, List.of()), HeaderDialect.of("camel-dlq"),
                new DeadLetterPartitions());
        DeadLetterPublishFailureLogger failureLogger = new DeadLetterPublishFailureLogger("dead-tasks", 10_000,
                metrics);
        context = new DefaultCamelContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(deadLetterChannel("direct:publish")
                        .deadLetterHandleNewException(false)
                        .useOriginalMessage()
                        .onPrepareFailure(TaskProcessingErrorPolicy.prepareDeadLetter(preparer, failureLogger, metrics)));
                from("direct:task").process(exchange -> {
                    if ("fail".equals(exchange.getMessage().getBody(String.class))) {
                        throw new TaskFailedException("task failed");
                    }
                });
                from("direct:publish").errorHandler(noErrorHandler()).process(exchange -> {
                    if (publishFails) {
                        throw new IllegalStateException("dead-letter topic unavailable");
                    }
                });
            }
        });
        context.start();
    }

    @AfterEach
    void stop() throws Exception {
        System.setErr(standardError);
        context.close();
    }

    @Test
    void failedPublishIsLoggedAndCounted() {
        publishFails = true;
        Exchange result = send("fail", 42);

        assertTrue(result.isFailed(), "a failed publish must fail the exchange");
        assertEquals(1, metrics.totals().publishFailures());
        assertEquals(0, metrics.totals().deadLettered());
        List<String> lines = errorLines();
        assertEquals(1, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).contains("Record tasks-2@42 could not be published to dead-letter topic dead-tasks: "
                + IllegalStateException.class.getName() + ": dead-letter topic unavailable. Its offset is not "
                + "committed"), lines.get(0));
    }

    @Test
    void publishedOrProcessedLogsNothing() {
        Exchange deadLettered = send("fail", 7);
        Exchange processed = send("fine", 8);

        assertFalse(deadLettered.isFailed(), "the dead letter was published");
        assertFalse(processed.isFailed(), "the record was processed");
        assertEquals(0, metrics.totals().publishFailures());
        assertEquals(1, metrics.totals().deadLettered());
        assertEquals(List.of(), errorLines());
    }

    private Exchange send(String body, long offset) {
        ProducerTemplate producer = context.createProducerTemplate();
        return producer.send("direct:task", exchange -> {
            exchange.getMessage().setBody(body);
            exchange.getMessage().setHeader(KafkaConstants.TOPIC, "tasks");
            exchange.getMessage().setHeader(KafkaConstants.PARTITION, 2);
            exchange.getMessage().setHeader(KafkaConstants.OFFSET, offset);
        });
    }

    private List<String> errorLines() {
        return errors.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> line.contains("[ERROR]") && line.contains("DeadLetterPublishFailureLogger"))
                .toList();
    }
}
