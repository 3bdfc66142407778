package io.cameldlq.deadletter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.cameldlq.kafka.KafkaUris;

class TimestampTypeInterceptorTest {

    private final CamelContext context = new DefaultCamelContext();

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void createTimeRecordGetsNoHeader() {
        ConsumerRecord<Object, Object> record = intercept(TimestampType.CREATE_TIME);

        assertNull(record.headers().lastHeader(DeadLetterHeaders.TIMESTAMP_TYPE_CARRIER));
    }

    @Test
    void logAppendTimeRecordGetsHeader() {
        ConsumerRecord<Object, Object> record = intercept(TimestampType.LOG_APPEND_TIME);

        assertArrayEquals("LogAppendTime".getBytes(StandardCharsets.UTF_8),
                record.headers().lastHeader(DeadLetterHeaders.TIMESTAMP_TYPE_CARRIER).value());
    }

    @Test
    void missingHeaderMeansCreateTimeBehindInterceptor() {
        Exchange exchange = exchangeFrom(KafkaUris.reliableConsumer("tasks", "group"));

        assertEquals("CreateTime", DeadLetterRecordPreparer.timestampTypeOf(exchange, new RecordHeaders()));
    }

    @Test
    void missingHeaderIsUnknownWithoutInterceptor() {
        Exchange exchange = exchangeFrom("kafka:tasks?groupId=group");

        assertNull(DeadLetterRecordPreparer.timestampTypeOf(exchange, new RecordHeaders()));
    }

    @Test
    void headerWinsOverDefault() {
        Exchange exchange = exchangeFrom(KafkaUris.reliableConsumer("tasks", "group"));
        RecordHeaders headers = new RecordHeaders();
        headers.add(DeadLetterHeaders.TIMESTAMP_TYPE_CARRIER, "LogAppendTime".getBytes(StandardCharsets.UTF_8));

        assertEquals("LogAppendTime", DeadLetterRecordPreparer.timestampTypeOf(exchange, headers));
    }

    @Test
    void recognizesInterceptorAmongOthers() {
        KafkaEndpoint endpoint = context.getEndpoint("kafka:tasks", KafkaEndpoint.class);
        endpoint.getConfiguration().setInterceptorClasses(
                "com.example.Tracing, " + TimestampTypeInterceptor.class.getName());

        assertTrue(TimestampTypeInterceptor.isInstalledOn(endpoint));
        assertFalse(TimestampTypeInterceptor.isInstalledOn(context.getEndpoint("direct:tasks")));
    }

    private static ConsumerRecord<Object, Object> intercept(TimestampType type) {
        ConsumerRecord<Object, Object> record = new ConsumerRecord<>("tasks", 0, 5L, 1_000L, type, 0, 0, "k", "v",
                new RecordHeaders(), Optional.empty());
        TopicPartition partition = new TopicPartition("tasks", 0);
        new TimestampTypeInterceptor().onConsume(new ConsumerRecords<>(Map.of(partition, List.of(record))));
        return record;
    }

    private Exchange exchangeFrom(String uri) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getExchangeExtension().setFromEndpoint(context.getEndpoint(uri));
        return exchange;
    }
}
