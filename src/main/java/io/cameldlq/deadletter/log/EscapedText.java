package io.cameldlq.deadletter.log;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A reversible, single-line text form of arbitrary bytes, used for keys and values in the dead-letter log.
 *
 * <p>Valid UTF-8 is written as text. These are escaped: backslash as {@code \\}, double quote as
 * {@code \"}, newline, carriage return and tab as {@code \n}, {@code \r}, {@code \t}, other control
 * characters and the Unicode line and paragraph separators as {@code \}{@code uXXXX}, and every byte
 * that is not part of valid UTF-8 as {@code \xNN}. So the text never contains a line break, and
 * {@link #unescape} returns exactly the original bytes.
 */
public final class EscapedText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private EscapedText() {
    }

    public static String escape(byte[] bytes) {
        StringBuilder text = new StringBuilder(bytes.length + 16);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(Math.max(16, bytes.length));
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            out.flip();
            appendEscaped(text, out);
            out.clear();
            if (result.isError()) {
                for (int i = 0; i < result.length(); i++) {
                    appendByte(text, in.get());
                }
            } else if (result.isUnderflow()) {
                break;
            }
        }
        return text.toString();
    }

    /**
     * Returns the bytes that {@link #escape} turned into {@code text}.
     *
     * @throws IllegalArgumentException on an escape sequence that {@link #escape} never writes
     */
    public static byte[] unescape(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        StringBuilder pending = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '\\') {
                pending.append(c);
                i++;
                continue;
            }
            if (i + 1 >= text.length()) {
                throw new IllegalArgumentException("Dangling backslash at index " + i);
            }
            char kind = text.charAt(i + 1);
            switch (kind) {
                case '\\', '"' -> {
                    pending.append(kind);
                    i += 2;
                }
                case 'n' -> {
                    pending.append('\n');
                    i += 2;
                }
                case 'r' -> {
                    pending.append('\r');
                    i += 2;
                }
                case 't' -> {
                    pending.append('\t');
                    i += 2;
                }
                case 'u' -> {
                    char escaped = (char) parseHex(text, i + 2, 4);
                    if (Character.isSurrogate(escaped)) {
                        throw new IllegalArgumentException("Surrogate escape at index " + i);
                    }
                    pending.append(escaped);
                    i += 6;
                }
                case 'x' -> {
                    flush(pending, bytes);
                    bytes.write(parseHex(text, i + 2, 2));
                    i += 4;
                }
                default -> throw new IllegalArgumentException("Unknown escape \\" + kind + " at index " + i);
            }
        }
        flush(pending, bytes);
        return bytes.toByteArray();
    }

    private static void appendEscaped(StringBuilder text, CharBuffer chars) {
        while (chars.hasRemaining()) {
            char c = chars.get();
            switch (c) {
                case '\\' -> text.append("\\\\");
                case '"' -> text.append("\\\"");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                case '\t' -> text.append("\\t");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                        text.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf])
                                .append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
                    } else {
                        text.append(c);
                    }
                }
            }
        }
    }

    private static void appendByte(StringBuilder text, byte b) {
        text.append("\\x").append(HEX[b >> 4 & 0xf]).append(HEX[b & 0xf]);
    }

    private static int parseHex(String text, int start, int digits) {
        if (start + digits > text.length()) {
            throw new IllegalArgumentException("Truncated escape at index " + (start - 2));
        }
        int value = 0;
        for (int i = start; i < start + digits; i++) {
            int digit = Character.digit(text.charAt(i), 16);
            if (digit < 0) {
                throw new IllegalArgumentException("Invalid hex digit in escape at index " + (start - 2));
            }
            value = value * 16 + digit;
        }
        return value;
    }

    private static void flush(StringBuilder pending, ByteArrayOutputStream bytes) {
        if (pending.length() > 0) {
            bytes.writeBytes(pending.toString().getBytes(StandardCharsets.UTF_8));
            pending.setLength(0);
        }
    }
}
