package io.cameldlq.deadletter;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Encodes a record's headers into one byte array and back, keeping their order, duplicate names and
 * null values. Camel's message headers are a map that drops all three, so the original headers travel
 * to the dead-letter producer in this form.
 *
 * <p>Layout: header count, then per header the UTF-8 name length and bytes and the value length
 * ({@code -1} for null) and bytes, all lengths as big-endian 32-bit integers.
 */
public final class OriginalHeaders {

    private OriginalHeaders() {
    }

    public static byte[] encode(Iterable<Header> headers) {
        List<Header> list = new ArrayList<>();
        if (headers != null) {
            headers.forEach(list::add);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(list.size());
            for (Header header : list) {
                byte[] name = header.key().getBytes(StandardCharsets.UTF_8);
                out.writeInt(name.length);
                out.write(name);
                byte[] value = header.value();
                if (value == null) {
                    out.writeInt(-1);
                } else {
                    out.writeInt(value.length);
                    out.write(value);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Decodes what {@link #encode} produced.
     *
     * @throws IllegalArgumentException if {@code encoded} is truncated or malformed
     */
    public static List<Header> decode(byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            int count = in.readInt();
            if (count < 0) {
                throw new IOException("negative header count " + count);
            }
            List<Header> headers = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String name = new String(readBytes(in, in.readInt()), StandardCharsets.UTF_8);
                int valueLength = in.readInt();
                if (valueLength < -1) {
                    throw new IOException("invalid value length " + valueLength);
                }
                byte[] value = valueLength == -1 ? null : readBytes(in, valueLength);
                headers.add(new RecordHeader(name, value));
            }
            if (in.available() > 0) {
                throw new IOException(in.available() + " bytes after the last header");
            }
            return headers;
        } catch (IOException e) {
            throw new IllegalArgumentException("Malformed original-headers encoding", e);
        }
    }

    private static byte[] readBytes(DataInputStream in, int length) throws IOException {
        if (length < 0 || length > in.available()) {
            throw new IOException("invalid length " + length);
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }
}
