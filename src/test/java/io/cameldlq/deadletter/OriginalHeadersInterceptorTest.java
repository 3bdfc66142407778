package io.cameldlq.deadletter;

import static io.cameldlq.deadletter.OriginalHeadersTest.assertHeadersEqual;
import static io.cameldlq.deadletter.OriginalHeadersTest.header;
import static io.cameldlq.deadletter.OriginalHeadersTest.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

class OriginalHeadersInterceptorTest {

    private final OriginalHeadersInterceptor interceptor = new OriginalHeadersInterceptor();

    @Test
    void recordWithoutCarrierIsUnchanged() {
        ProducerRecord<Object, Object> record = record(List.of(header(DeadLetterHeaders.ATTEMPTS, "3")));

        assertSame(record, interceptor.onSend(record));
    }

    @Test
    void originalHeadersComeFirst() {
        List<Header> originals = List.of(
                header("kafka.OVERRIDE_TOPIC", "elsewhere"),
                header("CamelFileName", "../x.txt"),
                new RecordHeader("trace", (byte[]) null),
                new RecordHeader("trace", new byte[] {(byte) 0xff, 0x00}),
                new RecordHeader("empty", new byte[0]));
        List<Header> added = List.of(
                header(DeadLetterHeaders.ORIGINAL_TOPIC, "task-processing"),
                header(DeadLetterHeaders.ATTEMPTS, "3"));

        ProducerRecord<Object, Object> sent = interceptor.onSend(record(withCarrier(originals, added)));

        List<Header> expected = new ArrayList<>(originals);
        expected.addAll(added);
        assertHeadersEqual(expected, headersOf(sent));
    }

    @Test
    void reservedOriginalHeadersAreDropped() {
        List<Header> originals = List.of(
                header(DeadLetterHeaders.ATTEMPTS, "1"),
                header("trace", "t-1"),
                header(DeadLetterHeaders.EXCEPTION_CLASS, "java.lang.IllegalStateException"),
                header("dlq-unknown-future-header", "x"));
        List<Header> added = List.of(
                header(DeadLetterHeaders.ATTEMPTS, "3"),
                header(DeadLetterHeaders.EXCEPTION_CLASS, "io.cameldlq.task.TaskFailedException"));

        ProducerRecord<Object, Object> sent = interceptor.onSend(record(withCarrier(originals, added)));

        List<Header> expected = new ArrayList<>();
        expected.add(header("trace", "t-1"));
        expected.addAll(added);
        assertHeadersEqual(expected, headersOf(sent));
    }

    @Test
    void carrierHeaderIsRemoved() {
        List<Header> headers = new ArrayList<>();
        headers.add(header("before", "1"));
        headers.add(new RecordHeader(DeadLetterHeaders.ORIGINAL_HEADERS_CARRIER,
                OriginalHeaders.encode(List.of(header("original", "o")))));
        headers.add(header("after", "2"));

        ProducerRecord<Object, Object> sent = interceptor.onSend(record(headers));

        assertNull(sent.headers().lastHeader(DeadLetterHeaders.ORIGINAL_HEADERS_CARRIER));
        assertHeadersEqual(List.of(header("original", "o"), header("before", "1"), header("after", "2")),
                headersOf(sent));
    }

    @Test
    void carrierWithNoOriginalsIsRemoved() {
        List<Header> added = List.of(header(DeadLetterHeaders.ATTEMPTS, "3"));

        ProducerRecord<Object, Object> sent = interceptor.onSend(record(withCarrier(List.of(), added)));

        assertFalse(sent.headers().headers(DeadLetterHeaders.ORIGINAL_HEADERS_CARRIER).iterator().hasNext());
        assertHeadersEqual(added, headersOf(sent));
    }

    @Test
    void recordFieldsAreKept() {
        byte[] key = utf8("order-7");
        byte[] value = {(byte) 0xff, '\n', 'v'};
        ProducerRecord<Object, Object> record = new ProducerRecord<>("dead-letter-task-processing", 2,
                1_764_842_130_123L, key, value, withCarrier(List.of(header("trace", "t")), List.of()));

        ProducerRecord<Object, Object> sent = interceptor.onSend(record);

        assertEquals("dead-letter-task-processing", sent.topic());
        assertEquals(2, sent.partition());
        assertEquals(1_764_842_130_123L, sent.timestamp());
        assertArrayEquals(key, (byte[]) sent.key());
        assertArrayEquals(value, (byte[]) sent.value());
    }

    @Test
    void nullRecordFieldsAreKept() {
        ProducerRecord<Object, Object> record = new ProducerRecord<>("dead-letter-task-processing", null, null,
                null, null, withCarrier(List.of(header("trace", "t")), List.of()));

        ProducerRecord<Object, Object> sent = interceptor.onSend(record);

        assertEquals("dead-letter-task-processing", sent.topic());
        assertNull(sent.partition());
        assertNull(sent.timestamp());
        assertNull(sent.key());
        assertNull(sent.value());
    }

    @Test
    void corruptCarrierIsDropped() {
        List<Header> headers = List.of(new RecordHeader(DeadLetterHeaders.ORIGINAL_HEADERS_CARRIER,
                new byte[] {0, 0, 0, 1, 0}), new RecordHeader("dlq-attempts", utf8("3")));

        ProducerRecord<Object, Object> sent = interceptor.onSend(record(headers));

        assertNull(sent.headers().lastHeader(DeadLetterHeaders.ORIGINAL_HEADERS_CARRIER));
        assertArrayEquals(utf8("3"), sent.headers().lastHeader("dlq-attempts").value());
    }

    /** Builds record headers: the carrier that contains the encoded {@code originals}, then {@code added}. */
    private static List<Header> withCarrier(List<Header> originals, List<Header> added) {
        List<Header> headers = new ArrayList<>();
        headers.add(new RecordHeader(DeadLetterHeaders.ORIGINAL_HEADERS_CARRIER, OriginalHeaders.encode(originals)));
        headers.addAll(added);
        return headers;
    }

    private static ProducerRecord<Object, Object> record(List<Header> headers) {
        return new ProducerRecord<>("dead-letter-task-processing", 0, null, utf8("k"), utf8("v"), headers);
    }

    private static List<Header> headersOf(ProducerRecord<Object, Object> record) {
        return Arrays.asList(record.headers().toArray());
    }
}
