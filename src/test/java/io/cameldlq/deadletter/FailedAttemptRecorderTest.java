package io.cameldlq.deadletter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cameldlq.config.RetryPolicy;
import io.cameldlq.metrics.PipelineMetrics;
import io.cameldlq.task.InvalidTaskException;
import io.cameldlq.task.TaskFailedException;

/** Reads the WARN lines from standard error, where slf4j-simple writes them (not cached, so it can be swapped). */
class FailedAttemptRecorderTest {

    private static final RetryPolicy POLICY = new RetryPolicy(2, 1000, 1.0, 60_000, 0,
            List.of(InvalidTaskException.class));

    private final CamelContext context = new DefaultCamelContext();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicLong now = new AtomicLong(TimeUnit.HOURS.toNanos(5));
    private final FailedAttemptRecorder recorder = new FailedAttemptRecorder(POLICY,
            new PipelineMetrics(registry, "tasks", "dead-tasks"), "retrying", now::get);

    private final ByteArrayOutputStream errors = new ByteArrayOutputStream();
    private PrintStream standardError;

    @BeforeEach
    void captureStandardError() {
        standardError = System.err;
        System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() throws Exception {
        System.setErr(standardError);
        context.close();
    }

    @Test
    void warnsOncePerInterval() {
        Exchange first = exchange(7);
        Exchange second = exchange(8);
        fail(first, new TaskFailedException("first"));
        fail(second, new TaskFailedException("second"));
        fail(first, new TaskFailedException("again"));

        List<String> warnings = warnings();
        assertEquals(1, warnings.size(), String.join("\n", warnings));
        assertTrue(warnings.get(0).contains("Attempt 1 of 3 failed for record tasks-1@7: "
                + TaskFailedException.class.getName() + ": first; retrying (0 more failed attempts with attempts left "
                + "since the last such WARN, logged at DEBUG only)"), warnings.get(0));

        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(FailedAttemptRecorder.LOG_INTERVAL_MS));
        fail(second, new TaskFailedException("later"));

        warnings = warnings();
        assertEquals(2, warnings.size(), String.join("\n", warnings));
        assertTrue(warnings.get(1).contains("Attempt 2 of 3 failed for record tasks-1@8: "
                + TaskFailedException.class.getName() + ": later; retrying (2 more failed attempts with attempts left"),
                warnings.get(1));
    }

    @Test
    void lastAttemptLogsNoWarn() {
        Exchange exchange = exchange(7);
        exchange.setProperty(FailedAttemptRecorder.ATTEMPTS_PROPERTY, 2);
        fail(exchange, new TaskFailedException("third"));
        fail(exchange(9), new InvalidTaskException("not retryable"));

        assertEquals(List.of(), warnings(), "the dead letter's WARN reports these");
        assertEquals(3, exchange.getProperty(FailedAttemptRecorder.ATTEMPTS_PROPERTY));
    }

    @Test
    void countsEveryAttempt() {
        for (int i = 0; i < 5; i++) {
            fail(exchange(i), new TaskFailedException("boom"));
        }
        assertEquals(5, registry.get("dlq.failed.attempts").counter().count());
        assertEquals(1, warnings().size());
    }

    private void fail(Exchange exchange, Exception failure) {
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, failure);
        recorder.process(exchange);
    }

    private Exchange exchange(long offset) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setHeader(KafkaConstants.TOPIC, "tasks");
        exchange.getMessage().setHeader(KafkaConstants.PARTITION, 1);
        exchange.getMessage().setHeader(KafkaConstants.OFFSET, offset);
        return exchange;
    }

    private List<String> warnings() {
        return errors.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> line.contains("[WARN]") && line.contains("FailedAttemptRecorder"))
                .toList();
    }
}
