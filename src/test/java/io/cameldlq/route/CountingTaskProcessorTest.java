package io.cameldlq.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.AsyncProcessorSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cameldlq.metrics.PipelineMetrics;

/**
 * The route step that runs the task processor and counts and logs each processed record, under a dead-letter
 * channel with redeliveries as the task-processing route has. Reads the log lines from standard error, where
 * slf4j-simple writes them.
 */
class CountingTaskProcessorTest {

    private static final String LOG_NAME = "io.cameldlq.route.counting-test";

    private final CamelContext context = new DefaultCamelContext();
    private final PipelineMetrics metrics = new PipelineMetrics(new SimpleMeterRegistry(), "tasks", "dead-tasks");
    private final AtomicInteger deadLettered = new AtomicInteger();
    private final ByteArrayOutputStream errors = new ByteArrayOutputStream();
    private PrintStream standardError;

    @BeforeEach
    void setUp() {
        context.getRegistry().bind(PipelineMetrics.BEAN_NAME, metrics);
        Properties properties = new Properties();
        properties.setProperty("test.processor", "task");
        context.getPropertiesComponent().setInitialProperties(properties);
        standardError = System.err;
        System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void tearDown() throws Exception {
        System.setErr(standardError);
        context.close();
    }

    @Test
    void successIsCountedAndLogged() throws Exception {
        start(exchange -> { }, LoggingLevel.INFO);

        send(42);

        assertEquals(1, metrics.totals().processed());
        assertEquals(0, deadLettered.get());
        assertTrue(errors.toString(StandardCharsets.UTF_8).contains("Processed record tasks-1@42 from the test"),
                errors.toString(StandardCharsets.UTF_8));
    }

    @Test
    void redeliveredSuccessIsCountedOnce() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        start(exchange -> {
            if (attempts.incrementAndGet() < 3) {
                throw new IllegalStateException("attempt " + attempts.get());
            }
        }, LoggingLevel.INFO);

        send(7);

        assertEquals(3, attempts.get());
        assertEquals(1, metrics.totals().processed());
        assertEquals(0, deadLettered.get());
        assertEquals(1, processedLines());
    }

    @Test
    void failureIsNeitherCountedNorLogged() throws Exception {
        start(exchange -> {
            throw new IllegalStateException("always");
        }, LoggingLevel.INFO);

        send(9);

        assertEquals(0, metrics.totals().processed());
        assertEquals(1, deadLettered.get());
        assertEquals(0, processedLines());
    }

    @Test
    void asynchronousProcessorIsCountedWhenItCompletes() throws Exception {
        AsyncProcessor later = new AsyncProcessorSupport() {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                CompletableFuture.runAsync(() -> callback.done(false));
                return false;
            }
        };
        start(later, LoggingLevel.INFO);

        send(11);

        assertEquals(1, metrics.totals().processed());
        assertEquals(1, processedLines());
    }

    @Test
    void lineBelowLoggerLevelIsSkipped() throws Exception {
        start(exchange -> { }, LoggingLevel.TRACE);

        send(5);

        assertEquals(1, metrics.totals().processed());
        assertEquals(0, processedLines());
    }

    @Test
    void missingProcessorBeanFailsStart() {
        context.getPropertiesComponent().setOverrideProperties(asProperties(Map.of("test.processor", "absent")));

        Exception failure = assertThrows(Exception.class, () -> start(null, LoggingLevel.INFO));

        assertTrue(messages(failure).contains("absent"), messages(failure));
    }

    private void start(Processor task, LoggingLevel level) throws Exception {
        if (task != null) {
            context.getRegistry().bind("task", task);
        }
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(deadLetterChannel("direct:dead").maximumRedeliveries(2).redeliveryDelay(0)
                        .useOriginalMessage());
                from("direct:dead").process(exchange -> deadLettered.incrementAndGet());
                from("direct:tasks")
                        .process(new CountingTaskProcessor(getCamelContext(), "{{test.processor}}", LOG_NAME, level,
                                " from the test"));
            }
        });
        context.start();
    }

    private void send(long offset) {
        context.createProducerTemplate().send("direct:tasks", exchange -> {
            exchange.getMessage().setHeader(KafkaConstants.TOPIC, "tasks");
            exchange.getMessage().setHeader(KafkaConstants.PARTITION, 1);
            exchange.getMessage().setHeader(KafkaConstants.OFFSET, offset);
        });
    }

    private long processedLines() {
        List<String> lines = errors.toString(StandardCharsets.UTF_8).lines().toList();
        return lines.stream().filter(line -> line.contains("Processed record")).count();
    }

    private static Properties asProperties(Map<String, String> values) {
        Properties properties = new Properties();
        properties.putAll(values);
        return properties;
    }

    /** Returns the messages of {@code failure} and its causes, one per line. */
    private static String messages(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            text.append(cause.getMessage()).append('\n');
        }
        return text.toString();
    }
}
