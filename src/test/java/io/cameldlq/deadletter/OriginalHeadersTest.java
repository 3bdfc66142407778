package io.cameldlq.deadletter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class OriginalHeadersTest {

    @Test
    void roundTripKeepsOrder() {
        List<Header> headers = List.of(header("zeta", "1"), header("alpha", "2"), header("mid", "3"));

        assertHeadersEqual(headers, OriginalHeaders.decode(OriginalHeaders.encode(headers)));
    }

    @Test
    void roundTripKeepsDuplicateNames() {
        List<Header> headers = List.of(header("trace", "first"), header("other", "x"), header("trace", "second"),
                header("trace", "first"));

        assertHeadersEqual(headers, OriginalHeaders.decode(OriginalHeaders.encode(headers)));
    }

    @Test
    void roundTripKeepsNullValues() {
        List<Header> headers = List.of(new RecordHeader("absent", (byte[]) null), header("present", "x"),
                new RecordHeader("absent", (byte[]) null));

        List<Header> decoded = OriginalHeaders.decode(OriginalHeaders.encode(headers));

        assertHeadersEqual(headers, decoded);
        assertNull(decoded.get(0).value());
        assertNull(decoded.get(2).value());
    }

    @Test
    void roundTripKeepsEmptyValues() {
        List<Header> headers = List.of(new RecordHeader("empty", new byte[0]), new RecordHeader("", new byte[0]));

        List<Header> decoded = OriginalHeaders.decode(OriginalHeaders.encode(headers));

        assertHeadersEqual(headers, decoded);
        assertArrayEquals(new byte[0], decoded.get(0).value());
    }

    @Test
    void roundTripKeepsNonUtf8Values() {
        byte[] binary = {(byte) 0xff, 0x00, (byte) 0xc0, (byte) 0xaf, (byte) 0xed, (byte) 0xa0, (byte) 0x80, '\n'};
        List<Header> headers = List.of(new RecordHeader("binary", binary));

        assertHeadersEqual(headers, OriginalHeaders.decode(OriginalHeaders.encode(headers)));
    }

    @Test
    void roundTripKeepsNonAsciiNames() {
        List<Header> headers = List.of(header("größe", "1"), header("名前", "2"), header("emoji-😀", "3"),
                header("kafka.OVERRIDE_TOPIC", "elsewhere"), header("CamelFileName", "x.txt"));

        assertHeadersEqual(headers, OriginalHeaders.decode(OriginalHeaders.encode(headers)));
    }

    @Test
    void roundTripOfKafkaRecordHeaders() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("b", utf8("1"));
        headers.add("a", null);
        headers.add("b", utf8("2"));

        assertHeadersEqual(Arrays.asList(headers.toArray()), OriginalHeaders.decode(OriginalHeaders.encode(headers)));
    }

    @Test
    void roundTripOfLargeValue() {
        byte[] large = new byte[70_000];
        for (int i = 0; i < large.length; i++) {
            large[i] = (byte) i;
        }
        List<Header> headers = List.of(new RecordHeader("large", large));

        assertHeadersEqual(headers, OriginalHeaders.decode(OriginalHeaders.encode(headers)));
    }

    @Test
    void encodeOfNoHeadersDecodesEmpty() {
        assertTrue(OriginalHeaders.decode(OriginalHeaders.encode(List.of())).isEmpty());
        assertTrue(OriginalHeaders.decode(OriginalHeaders.encode(null)).isEmpty());
    }

    @Test
    void encodeWritesDocumentedLayout() {
        byte[] encoded = OriginalHeaders.encode(List.of(header("k", "vv"), new RecordHeader("n", (byte[]) null)));

        byte[] expected = ByteBuffer.allocate(4 + 4 + 1 + 4 + 2 + 4 + 1 + 4)
                .putInt(2)
                .putInt(1).put((byte) 'k').putInt(2).put((byte) 'v').put((byte) 'v')
                .putInt(1).put((byte) 'n').putInt(-1)
                .array();
        assertArrayEquals(expected, encoded);
    }

    @Test
    void decodeRejectsTruncatedInput() {
        byte[] encoded = OriginalHeaders.encode(List.of(header("trace", "abc"), new RecordHeader("n", (byte[]) null),
                header("名前", "x")));

        for (int length = 0; length < encoded.length; length++) {
            byte[] truncated = Arrays.copyOf(encoded, length);

            assertThrows(IllegalArgumentException.class, () -> OriginalHeaders.decode(truncated),
                    "prefix of length " + length);
        }
    }

    @Test
    void decodeRejectsNegativeNameLength() {
        byte[] corrupt = ByteBuffer.allocate(12).putInt(1).putInt(-5).putInt(0).array();

        assertThrows(IllegalArgumentException.class, () -> OriginalHeaders.decode(corrupt));
    }

    @Test
    void decodeRejectsOversizedNameLength() {
        byte[] corrupt = ByteBuffer.allocate(13).putInt(1).putInt(Integer.MAX_VALUE).put((byte) 'k').putInt(0)
                .array();

        assertThrows(IllegalArgumentException.class, () -> OriginalHeaders.decode(corrupt));
    }

    @Test
    void decodeRejectsOversizedValueLength() {
        byte[] corrupt = ByteBuffer.allocate(14).putInt(1).putInt(1).put((byte) 'k').putInt(2).put((byte) 'v')
                .array();

        assertThrows(IllegalArgumentException.class, () -> OriginalHeaders.decode(corrupt));
    }

    @Test
    void decodeRejectsOversizedCount() {
        byte[] corrupt = ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array();

        assertThrows(IllegalArgumentException.class, () -> OriginalHeaders.decode(corrupt));
    }

    @Test
    void decodeRejectsNegativeCount() {
        byte[] corrupt = ByteBuffer.allocate(4).putInt(-1).array();

        assertThrows(IllegalArgumentException.class, () -> OriginalHeaders.decode(corrupt));
    }

    @Test
    void decodeRejectsValueLengthBelowMinusOne() {
        byte[] corrupt = ByteBuffer.allocate(13).putInt(1).putInt(1).put((byte) 'k').putInt(-2).array();

        assertThrows(IllegalArgumentException.class, () -> OriginalHeaders.decode(corrupt));
    }

    @Test
    void decodeRejectsTrailingBytes() {
        byte[] encoded = OriginalHeaders.encode(List.of(header("k", "v")));
        byte[] corrupt = Arrays.copyOf(encoded, encoded.length + 3);

        assertThrows(IllegalArgumentException.class, () -> OriginalHeaders.decode(corrupt));
    }

    static void assertHeadersEqual(List<Header> expected, List<Header> actual) {
        assertEquals(expected.size(), actual.size(), () -> "header count of " + actual);
        for (int i = 0; i < expected.size(); i++) {
            int index = i;
            assertEquals(expected.get(i).key(), actual.get(i).key(), () -> "name of header " + index);
            assertArrayEquals(expected.get(i).value(), actual.get(i).value(), () -> "value of header " + index);
        }
    }

    static Header header(String name, String value) {
        return new RecordHeader(name, utf8(value));
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
