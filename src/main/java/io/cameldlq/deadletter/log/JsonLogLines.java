package io.cameldlq.deadletter.log;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

import org.apache.camel.util.json.DeserializationException;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;

/**
 * The JSON Lines form of a dead-letter log line: one JSON object per line with the fields {@code time},
 * {@code topic}, {@code partition}, {@code offset}, {@code attempts}, {@code reason}, {@code error},
 * {@code key} and {@code value} with {@code keyEncoding} and {@code valueEncoding} ({@code utf-8} for valid
 * UTF-8, else {@code base64}), {@code valueLength} when the value was truncated or left out, and
 * {@code redacted}. Fields without a value are left out.
 */
final class JsonLogLines {

    private static final String UTF8 = "utf-8";
    private static final String BASE64 = "base64";

    private JsonLogLines() {
    }

    static String format(DeadLetterLogLine line) {
        JsonObject json = new JsonObject();
        json.put("time", line.loggedAt().toString());
        json.put("topic", line.topic());
        json.put("partition", line.partition());
        json.put("offset", line.offset());
        putIfPresent(json, "attempts", line.attempts());
        putIfPresent(json, "reason", line.reason());
        putIfPresent(json, "error", line.error());
        putBytes(json, "key", line.key());
        putBytes(json, "value", line.value());
        putIfPresent(json, "valueLength", line.valueLength());
        if (line.redacted()) {
            json.put("redacted", true);
        }
        // JSON allows these separators raw in strings, but line-oriented tools treat them as line breaks.
        return json.toJson().replace("\u2028", "\\u2028").replace("\u2029", "\\u2029") + "\n";
    }

    static DeadLetterLogLine parse(String body) {
        try {
            JsonObject json = (JsonObject) Jsoner.deserialize(body);
            return new DeadLetterLogLine(Instant.parse(json.getString("time")), json.getString("topic"),
                    json.getInteger("partition"), json.getLong("offset"), json.getInteger("attempts"),
                    bytes(json, "key"), bytes(json, "value"), json.getString("error"), json.getString("reason"),
                    json.getInteger("valueLength"), Boolean.TRUE.equals(json.getBoolean("redacted")));
        } catch (DeserializationException | ClassCastException | NullPointerException | DateTimeParseException
                | IllegalArgumentException e) {
            throw new IllegalArgumentException("Not a dead-letter JSON log line (" + e.getMessage() + "): "
                    + DeadLetterLogLine.excerpt(body), e);
        }
    }

    private static void putIfPresent(JsonObject json, String name, Object value) {
        if (value != null) {
            json.put(name, value);
        }
    }

    private static void putBytes(JsonObject json, String name, byte[] bytes) {
        if (bytes == null) {
            return;
        }
        String text = Utf8.decodeOrNull(bytes);
        if (text != null) {
            json.put(name, text);
            json.put(name + "Encoding", UTF8);
        } else {
            json.put(name, Base64.getEncoder().encodeToString(bytes));
            json.put(name + "Encoding", BASE64);
        }
    }

    private static byte[] bytes(JsonObject json, String name) {
        String text = json.getString(name);
        if (text == null) {
            return null;
        }
        String encoding = json.getString(name + "Encoding");
        if (BASE64.equals(encoding)) {
            return Base64.getDecoder().decode(text);
        }
        if (UTF8.equals(encoding)) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        throw new IllegalArgumentException("unknown " + name + "Encoding " + encoding);
    }
}
