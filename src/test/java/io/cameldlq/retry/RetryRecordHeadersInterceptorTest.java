package io.cameldlq.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

import io.cameldlq.deadletter.DeadLetterHeaders;
import io.cameldlq.deadletter.OriginalHeaders;

class RetryRecordHeadersInterceptorTest {

    private final RetryRecordHeadersInterceptor interceptor = new RetryRecordHeadersInterceptor();

    @Test
    void diagnosticHeadersOfSourceAreKept() {
        List<Header> originals = List.of(
                header("trace", "t-1"),
                header(DeadLetterHeaders.ORIGINAL_OFFSET, "99"),
                header(DeadLetterHeaders.REDRIVE_COUNT, "1"),
                header("kafka_dlt-original-topic", "elsewhere"));

        List<String> sent = names(interceptor.onSend(record(originals, List.of(header(RetryHeaders.ATTEMPTS, "1")))));

        assertEquals(List.of("trace", DeadLetterHeaders.ORIGINAL_OFFSET, DeadLetterHeaders.REDRIVE_COUNT,
                "kafka_dlt-original-topic", RetryHeaders.ATTEMPTS), sent);
    }

    @Test
    void bookkeepingAndCarriersAreReplaced() {
        List<Header> originals = List.of(
                header(RetryHeaders.ATTEMPTS, "1"),
                header(RetryHeaders.DUE_TIME, "5"),
                header(DeadLetterHeaders.TIMESTAMP_TYPE_CARRIER, "CreateTime"),
                header("trace", "t-1"));
        List<Header> added = List.of(header(RetryHeaders.ATTEMPTS, "2"), header(RetryHeaders.DUE_TIME, "9"));

        ProducerRecord<Object, Object> sent = interceptor.onSend(record(originals, added));

        assertEquals(List.of("trace", RetryHeaders.ATTEMPTS, RetryHeaders.DUE_TIME), names(sent));
        assertEquals("2", new String(sent.headers().lastHeader(RetryHeaders.ATTEMPTS).value(), StandardCharsets.UTF_8));
    }

    private static ProducerRecord<Object, Object> record(List<Header> originals, List<Header> added) {
        List<Header> headers = new ArrayList<>();
        headers.add(new RecordHeader(DeadLetterHeaders.ORIGINAL_HEADERS_CARRIER, OriginalHeaders.encode(originals)));
        headers.addAll(added);
        return new ProducerRecord<>("tasks-retry", null, null, null, null, headers);
    }

    private static List<String> names(ProducerRecord<Object, Object> record) {
        List<String> names = new ArrayList<>();
        record.headers().forEach(header -> names.add(header.key()));
        return names;
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
