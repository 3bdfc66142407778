package io.cameldlq.deadletter.log;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cameldlq.deadletter.DeadLetterHeaders;
import io.cameldlq.metrics.PipelineMetrics;

class DeadLetterLogFormatterTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-04T10:15:30.123456Z"), ZoneOffset.UTC);

    private CamelContext context;

    @TempDir
    Path logDirectory;

    @BeforeEach
    void createContext() {
        context = new DefaultCamelContext();
    }

    @AfterEach
    void closeContext() throws Exception {
        context.close();
    }

    @Test
    void formatReplacesBodyWithLine() {
        Exchange exchange = deadLetterExchange();

        formatter().format(exchange);

        Object body = exchange.getMessage().getBody();
        assertInstanceOf(String.class, body);
        assertEquals("2026-12-04T10:15:30.123Z topic=task-processing partition=1 offset=42 attempts=3"
                + " key=\"order-7\" value=\"line one\\nline two\""
                + " error=\"io.cameldlq.task.TaskFailedException: boom\"\n", body);
    }

    @Test
    void formatRemovesEveryHeader() {
        Exchange exchange = deadLetterExchange();
        Message message = exchange.getMessage();
        message.setHeader(Exchange.FILE_NAME, "elsewhere.txt");
        message.setHeader(Exchange.OVERRULE_FILE_NAME, "../overruled.txt");
        message.setHeader(KafkaConstants.OVERRIDE_TOPIC, "other-topic");

        formatter().format(exchange);

        assertNull(message.getHeader(Exchange.FILE_NAME));
        assertNull(message.getHeader(Exchange.OVERRULE_FILE_NAME));
        assertNull(message.getHeader(KafkaConstants.OVERRIDE_TOPIC));
        assertNull(message.getHeader(DeadLetterHeaders.ORIGINAL_TOPIC));
        assertNull(message.getHeader(KafkaConstants.KEY));
        assertTrue(message.getHeaders().isEmpty(), () -> "remaining headers: " + message.getHeaders().keySet());
    }

    @Test
    void formatIgnoresFileNameHeaders() {
        Exchange exchange = deadLetterExchange();
        exchange.getMessage().setHeader(Exchange.FILE_NAME, "elsewhere.txt");
        exchange.getMessage().setHeader(Exchange.OVERRULE_FILE_NAME, "../overruled.txt");
        exchange.getMessage().setHeader(KafkaConstants.OVERRIDE_TOPIC, "other-topic");
        Exchange plain = deadLetterExchange();

        formatter().format(exchange);
        formatter().format(plain);

        assertEquals(plain.getMessage().getBody(), exchange.getMessage().getBody());
    }

    @Test
    void formatKeepsLineLengthInBytes() {
        Exchange exchange = deadLetterExchange();
        exchange.getMessage().setBody(utf8("Grüße, 東京 🚚"));

        formatter().format(exchange);

        String line = exchange.getMessage().getBody(String.class);
        assertTrue(line.contains("東京"), line);
        assertEquals(utf8(line).length, exchange.getProperty(DeadLetterLogFormatter.LINE_BYTES_PROPERTY));
    }

    @Test
    void formatSkipsAlreadyLoggedRecord() {
        DeadLetterLogFormatter formatter = formatter();
        Exchange first = deadLetterExchange();
        formatter.format(first);
        formatter.markWritten(first);
        Exchange second = deadLetterExchange();

        formatter.format(second);

        assertTrue(second.isRouteStop());
        assertInstanceOf(byte[].class, second.getMessage().getBody());
    }

    @Test
    void formatWritesAgainWhenNotMarked() {
        DeadLetterLogFormatter formatter = formatter();
        formatter.format(deadLetterExchange());
        Exchange retry = deadLetterExchange();

        formatter.format(retry);

        assertFalse(retry.isRouteStop());
        assertInstanceOf(String.class, retry.getMessage().getBody());
    }

    private DeadLetterLogFormatter formatter() {
        return new DeadLetterLogFormatter(new LoggedRecords(logDirectory.resolve("log.txt"), 1 << 20, 100), CLOCK,
                new PipelineMetrics(new SimpleMeterRegistry(), "tasks", "dead-letters"));
    }

    private Exchange deadLetterExchange() {
        Exchange exchange = new DefaultExchange(context);
        Message message = exchange.getMessage();
        message.setHeader(DeadLetterHeaders.ORIGINAL_TOPIC, utf8("task-processing"));
        message.setHeader(DeadLetterHeaders.ORIGINAL_PARTITION, utf8("1"));
        message.setHeader(DeadLetterHeaders.ORIGINAL_OFFSET, utf8("42"));
        message.setHeader(DeadLetterHeaders.ATTEMPTS, utf8("3"));
        message.setHeader(DeadLetterHeaders.EXCEPTION_CLASS, utf8("io.cameldlq.task.TaskFailedException"));
        message.setHeader(DeadLetterHeaders.EXCEPTION_MESSAGE, utf8("boom"));
        message.setHeader(KafkaConstants.TOPIC, "dead-letter-task-processing");
        message.setHeader(KafkaConstants.PARTITION, 0);
        message.setHeader(KafkaConstants.OFFSET, 7L);
        message.setHeader(KafkaConstants.KEY, utf8("order-7"));
        message.setBody(utf8("line one\nline two"));
        return exchange;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
